package io.rowseal.demo.app;

import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.RowsealSettings;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.kms.BackendCost;
import io.rowseal.kms.CostEstimate;
import io.rowseal.kms.local.KmsUsage;
import io.rowseal.kms.local.LocalKms;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Library mode's keys: the embedded LocalKms in its development setup and the default JDBC branch-key
 * store, both in the demo's own database, joined by an {@link Envelope} that the demo builds and hands
 * to Hibernate ({@code rowseal.envelope}). Holding them lets the demo rotate the branch key and read
 * the KMS's request counters. The only class of the demo that names rowseal's engine.
 */
final class EngineKeys implements KeyControl {
  private final LocalKms kms;
  private final Envelope envelope;

  private EngineKeys(LocalKms kms, Envelope envelope) {
    this.kms = kms;
    this.envelope = envelope;
  }

  /** Opens (or, on a first run, creates) the key state in {@code dataSource}. */
  static KeyControl open(DataSource dataSource) {
    // 1. The embedded KMS: with no keystore configured, LocalKms uses its development keystore
    //    ./.rowseal/localkms.p12 and says so once, with a WARN.
    LocalKms kms = LocalKms.builder().dataSource(dataSource).build();
    try {
      // 2. The envelope: branch keys wrapped under a LocalKms CMK, stored in table rowseal_branch_keys.
      Envelope envelope = Envelope.builder()
          .cmkProvider(kms)
          .branchKeyStore(new JdbcBranchKeyStore(dataSource))
          .build();
      return new EngineKeys(kms, envelope);
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  @Override
  public Map<String, Object> hibernateSettings() {
    return Map.of(RowsealSettings.ENVELOPE, envelope);
  }

  @Override
  public int rotateBranchKey() {
    return envelope.rotateBranchKey().version();
  }

  @Override
  public Usage usage() {
    KmsUsage kmsUsage = kms.usage();
    Map<String, Long> requests = new LinkedHashMap<>();
    kmsUsage.requests().forEach((op, n) -> {
      if (n > 0) {
        requests.put(op.auditName(), n);
      }
    });
    var metrics = envelope.metrics();
    return new Usage(requests, kmsUsage.cmkCount(), metrics.rowsEncrypted(), metrics.dekMisses(),
        metrics.valuesDecrypted());
  }

  @Override
  public BigDecimal seedMonthlyDollars(long requests, int cmks) {
    return CostEstimate.SEED_PRICES.monthlyDollars(requests, cmks);
  }

  @Override
  public List<BackendBill> monthlyByBackend(long requests, int cmks, double peakPerSecond) {
    return bills(requests, cmks, peakPerSecond);
  }

  /** {@link BackendCost#all()} priced for one month. */
  static List<BackendBill> bills(long requests, int cmks, double peakPerSecond) {
    return BackendCost.all().stream().map(b -> new BackendBill(b.backend(), b.monthlyDollars(requests, cmks),
        b.withinLimit(peakPerSecond), b.limit(), b.otherCosts())).toList();
  }

  @Override
  public void close() {
    envelope.close();
    kms.close();
  }
}
