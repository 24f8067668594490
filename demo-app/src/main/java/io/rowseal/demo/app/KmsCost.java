package io.rowseal.demo.app;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Scenario step: how few KMS requests the branch key leaves, and what that is worth. A row write costs
 * no KMS request: its DEK is derived locally from the cached branch key. The KMS is asked once per
 * branch-key version per cache lifetime. Prices are the seed's (AWS KMS): $1 per CMK-month, 20,000
 * requests a month free, then $0.03 per 10,000; then the same month on each key backend ({@code rowseal.kms}).
 */
final class KmsCost {
  static final long SECONDS_PER_MONTH = 30L * 24 * 3600;
  /** The seed's workload: 100 row writes a second. */
  static final long ROW_WRITES_PER_SECOND = 100;
  /** The seed's deployment: 10 processes, 5 branch keys each, one unwrap per 5-minute cache lifetime. */
  static final long PROCESSES = 10;
  static final long BRANCH_KEYS = 5;
  static final long CACHE_LIFETIME_SECONDS = 300;

  private KmsCost() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("KMS requests, and what they would cost");
    if (ctx.keys().isEmpty()) {
      console.line("skipped: in agent mode the KMS belongs to the agent; run without the agent to see its");
      console.line("request counters.");
      return;
    }
    KeyControl keys = ctx.keys().get();
    // 1. What this run asked of the KMS, against the row work the envelope did without it.
    KeyControl.Usage usage = keys.usage();
    String byOperation = usage.kmsRequests().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    console.line("this run: %d KMS requests (%s)", usage.totalKmsRequests(), byOperation.isEmpty() ? "none"
        : byOperation);
    console.line("          for %s and %s (%d values decrypted)", count(usage.rowWrites(), "row write"),
        count(usage.rowKeyUnwraps(), "row-DEK derivation"), usage.valuesDecrypted());
    console.line("a KMS call per row DEK (wrap on write, unwrap on read) would have made %d",
        usage.rowWrites() + usage.rowKeyUnwraps());
    // 2. The seed's monthly estimate for both designs, priced by rowseal's CostEstimate.
    long naive = ROW_WRITES_PER_SECOND * SECONDS_PER_MONTH;
    long branch = PROCESSES * BRANCH_KEYS * (SECONDS_PER_MONTH / CACHE_LIFETIME_SECONDS);
    console.blank();
    console.line("a month at %d row writes/s, 1 CMK, the seed's prices ($1/CMK-month, 20,000 requests free,",
        ROW_WRITES_PER_SECOND);
    console.line("then $0.03 per 10,000):");
    console.table(Table.of("design", "KMS requests/month", "cost/month")
        .row("one KMS call per row write", String.format(Locale.ROOT, "%,d", naive), dollars(keys.seedMonthlyDollars(naive, 1)))
        .row("branch keys: " + PROCESSES + " processes x " + BRANCH_KEYS + " keys, 5-min cache",
            String.format(Locale.ROOT, "%,d", branch), dollars(keys.seedMonthlyDollars(branch, 1))));
    // 3. The branch-key design's month on each key backend: the requests are the same, the bill is not.
    console.blank();
    backends(console, keys.monthlyByBackend(branch, 1, (double) branch / SECONDS_PER_MONTH), branch);
  }

  /** The month of {@code requests} requests on each backend: bill and limit, then what each costs besides. */
  static void backends(Console console, List<KeyControl.BackendBill> bills, long requests) {
    console.line("the same %,d requests/month on each key backend (rowseal.kms):", requests);
    Table table = Table.of("backend", "cost/month", "request limit");
    for (KeyControl.BackendBill bill : bills) {
      table.row(bill.backend(), dollars(bill.dollars()), (bill.withinLimit() ? "" : "EXCEEDED: ") + bill.limit());
    }
    console.table(table);
    console.line("besides the bill:");
    for (KeyControl.BackendBill bill : bills) {
      console.wrapped(5, bill.backend() + ": " + bill.otherCosts());
    }
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String dollars(BigDecimal amount) {
    return String.format(Locale.ROOT, "$%,.2f", amount);
  }
}
