package io.rowseal.kms;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one key backend ({@code rowseal.kms}) costs for a given use: its price list when it bills requests,
 * its request limit, and what it costs instead when it bills nothing. The figures are the seed's (AWS KMS:
 * $1 per CMK-month, 20,000 requests a month free, then $0.03 per 10,000 requests; 10,000 requests/s per
 * account) and rowseal's own defaults; a PKCS#11 HSM's limit is the device's. Immutable.
 *
 * <p>rowseal's request count does not depend on the backend: one data-key request per branch-key rotation and
 * one unwrap per branch-key version per instance per cache TTL, not per row (docs/KMS.md, "Costs").
 *
 * @param backend the {@code rowseal.kms} value: {@code aws}, {@code local}, {@code pkcs11}, {@code in-memory}
 * @param prices the price list, {@link CostEstimate#FREE} for a backend that bills nothing per request or key
 * @param requestsPerSecondLimit requests per second the backend serves before it throttles; 0 when it is the
 *     device's own (PKCS#11) and rowseal cannot know it
 * @param limit the limit in words, with the setting that changes it
 * @param otherCosts what a request costs besides the price list (CPU, database rows, hardware)
 */
public record BackendCost(String backend, CostEstimate prices, long requestsPerSecondLimit, String limit,
    String otherCosts) {

  /** AWS KMS ({@code rowseal.kms=aws}) at the seed's prices and quota. */
  public static final BackendCost AWS = new BackendCost("aws", CostEstimate.SEED_PRICES, 10_000,
      "10,000 requests/s per account (the seed's quota)",
      "none besides the price list; each request is one HTTPS round trip from the instance");
  /** The embedded LocalKms ({@code rowseal.kms=local}). */
  public static final BackendCost LOCAL = new BackendCost("local", CostEstimate.FREE, 10_000,
      "rowseal.kms.local.quota, default 10,000 requests/s per instance",
      "no bill: each request is CPU in the application (a key derivation and an AES-GCM wrap or unwrap) and "
          + "an audit log line; its tables hold a row per CMK version and per HSM, rewritten at each domain-key "
          + "rotation (daily by default); no database access per request");
  /** A PKCS#11 HSM ({@code rowseal.kms=pkcs11}). */
  public static final BackendCost PKCS11 = new BackendCost("pkcs11", CostEstimate.FREE, 0,
      "the HSM's own throughput, shared by all its clients",
      "no per-request price: the HSM itself (purchase or lease, support) and a session round trip per request");
  /** {@link InMemoryCmkProvider} ({@code rowseal.kms=in-memory}): tests only. */
  public static final BackendCost IN_MEMORY = new BackendCost("in-memory", CostEstimate.FREE, 0,
      "none (CPU of the process)", "nothing; the keys die with the process: tests only");

  private static final List<BackendCost> ALL = List.of(AWS, LOCAL, PKCS11, IN_MEMORY);

  public BackendCost {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(otherCosts, "otherCosts");
    if (requestsPerSecondLimit < 0) {
      throw new IllegalArgumentException("requestsPerSecondLimit must not be negative, was " + requestsPerSecondLimit);
    }
  }

  /** Every built-in backend: aws, local, pkcs11, in-memory. */
  public static List<BackendCost> all() {
    return ALL;
  }

  /** The backend named as {@code rowseal.kms} names it. */
  public static BackendCost of(String backend) {
    String name = backend == null ? "" : backend.trim().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(b -> b.backend.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cost model for key backend '" + backend + "'; known: "
            + ALL.stream().map(BackendCost::backend).toList()));
  }

  /** Whether this backend bills requests or keys at all. */
  public boolean billed() {
    return prices.dollarsPerCmkMonth().signum() > 0 || prices.dollarsPer10kRequests().signum() > 0;
  }

  /** The bill for a month with {@code requests} requests and {@code cmkCount} CMKs, to the cent ($0.00 unbilled). */
  public BigDecimal monthlyDollars(long requests, int cmkCount) {
    return prices.monthlyDollars(requests, cmkCount);
  }

  /**
   * Whether a sustained {@code requestsPerSecond} stays within this backend's limit; true when the limit is the
   * device's own ({@link #requestsPerSecondLimit} 0).
   */
  public boolean withinLimit(double requestsPerSecond) {
    return requestsPerSecondLimit == 0 || requestsPerSecond <= requestsPerSecondLimit;
  }
}
