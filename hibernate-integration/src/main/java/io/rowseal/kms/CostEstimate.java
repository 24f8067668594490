package io.rowseal.kms;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * What a cloud KMS would charge for a given use, from a price list. {@link #SEED_PRICES} is the seed
 * lecture's (AWS KMS) list: $1 per CMK-month, the first 20,000 requests of each month free, then
 * $0.03 per 10,000 requests, charged pro rata. Immutable.
 *
 * <p>Example: 1 CMK and 1,000,000 requests in a month cost
 * {@code 1 + (1,000,000 − 20,000) / 10,000 × 0.03 = 1 + 2.94 = $3.94}. {@link BackendCost} gives each key
 * backend its list.
 *
 * @param dollarsPerCmkMonth price of keeping one CMK for a month
 * @param freeRequestsPerMonth requests per month that cost nothing
 * @param dollarsPer10kRequests price of 10,000 requests beyond the free ones
 */
public record CostEstimate(BigDecimal dollarsPerCmkMonth, long freeRequestsPerMonth,
    BigDecimal dollarsPer10kRequests) {

  /** The seed's AWS KMS price list. */
  public static final CostEstimate SEED_PRICES =
      new CostEstimate(new BigDecimal("1.00"), 20_000, new BigDecimal("0.03"));
  /** No price at all: the list of a backend that bills neither keys nor requests ({@link BackendCost}). */
  public static final CostEstimate FREE = new CostEstimate(BigDecimal.ZERO, 0, BigDecimal.ZERO);

  private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

  public CostEstimate {
    Objects.requireNonNull(dollarsPerCmkMonth, "dollarsPerCmkMonth");
    Objects.requireNonNull(dollarsPer10kRequests, "dollarsPer10kRequests");
    if (dollarsPerCmkMonth.signum() < 0 || dollarsPer10kRequests.signum() < 0 || freeRequestsPerMonth < 0) {
      throw new IllegalArgumentException("prices and free requests must not be negative");
    }
  }

  /** Dollars for one month with {@code requests} requests and {@code cmkCount} CMKs, to the cent. */
  public BigDecimal monthlyDollars(long requests, int cmkCount) {
    if (requests < 0 || cmkCount < 0) {
      throw new IllegalArgumentException("requests and cmkCount must not be negative, were "
          + requests + " and " + cmkCount);
    }
    BigDecimal billable = BigDecimal.valueOf(Math.max(0, requests - freeRequestsPerMonth));
    return dollarsPerCmkMonth.multiply(BigDecimal.valueOf(cmkCount))
        .add(billable.multiply(dollarsPer10kRequests).divide(TEN_THOUSAND, 10, RoundingMode.HALF_UP))
        .setScale(2, RoundingMode.HALF_UP);
  }

  /** Dollars over several months, given each month's request count and a constant CMK count. */
  public BigDecimal dollars(List<Long> requestsPerMonth, int cmkCount) {
    return requestsPerMonth.stream().map(r -> monthlyDollars(r, cmkCount))
        .reduce(new BigDecimal("0.00"), BigDecimal::add);
  }
}
