package io.rowseal.benchmarks;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import io.rowseal.IntegrityException;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.BackendCost;
import io.rowseal.kms.CostEstimate;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.charset.StandardCharsets;

/**
 * CMK calls, counted at the provider, for 10,000 row writes and 10,000 row reads: rowseal versus a naive
 * envelope that asks the KMS for a data key on every row write and to unwrap it on every row read; and
 * the monthly bill those counts imply under the seed lecture's prices.
 */
public final class KmsEconomics {
  public static final int ROWS = 10_000;
  /** Seconds in a 30-day month. */
  public static final long MONTH_SECONDS = 30L * 24 * 3600;
  /**
   * A process's branch key is unwrapped once per refresh: the cache refreshes at 80% of its 5-minute
   * lifetime, i.e. every 4 minutes while traffic flows.
   */
  public static final long ROWSEAL_REFRESH_SECONDS = 4 * 60;

  private KmsEconomics() {}

  /** Counted calls. */
  /**
   * Calls per {@value #ROWS} rows. {@code rowsealWrites} includes the first start (CMK creation and the
   * first branch-key version); {@code rowsealWritesSteady} is the next {@value #ROWS} writes.
   */
  public record Counts(long rowsealWrites, long rowsealWritesSteady, long rowsealReadsSameProcess,
      long rowsealReadsFreshProcess, long naiveWrites, long naiveReads) {}

  /** Monthly estimate for one design at a sustained rate. */
  public record Bill(String design, long requestsPerMonth, double usdPerMonth) {}

  public static Counts count() throws Exception {
    Row[] rows = Row.random(ROWS, 7);
    InMemoryCmkProvider cmk = new InMemoryCmkProvider();
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    byte[][][] stored = new byte[ROWS][][];
    long writes;
    long writesSteady;
    long readsSame;
    try (RowsealEngine writer = new RowsealEngine(cmk, store, -1)) {
      long before = cmk.totalCalls();
      for (int i = 0; i < ROWS; i++) {
        stored[i] = writer.encrypt(rows[i]);
      }
      writes = cmk.totalCalls() - before;
      before = cmk.totalCalls();
      for (int i = 0; i < ROWS; i++) {
        writer.encrypt(rows[i]);
      }
      writesSteady = cmk.totalCalls() - before;
      before = cmk.totalCalls();
      for (int i = 0; i < ROWS; i++) {
        check(writer.decrypt(stored[i]), rows[i]);
      }
      readsSame = cmk.totalCalls() - before;
    }
    long readsFresh;
    try (RowsealEngine reader = new RowsealEngine(cmk, store, -1)) {
      long before = cmk.totalCalls();
      for (int i = 0; i < ROWS; i++) {
        check(reader.decrypt(stored[i]), rows[i]);
      }
      readsFresh = cmk.totalCalls() - before;
    }

    InMemoryCmkProvider naiveCmk = new InMemoryCmkProvider();
    NaivePerRowEnvelope naive = new NaivePerRowEnvelope(naiveCmk);
    Object[] naiveStored = new Object[ROWS];
    long before = naiveCmk.totalCalls();
    for (int i = 0; i < ROWS; i++) {
      naiveStored[i] = naive.encrypt(rows[i]);
    }
    long naiveWrites = naiveCmk.totalCalls() - before;
    before = naiveCmk.totalCalls();
    for (int i = 0; i < ROWS; i++) {
      check(naive.decrypt((NaivePerRowEnvelope.Stored) naiveStored[i]), rows[i]);
    }
    long naiveReads = naiveCmk.totalCalls() - before;
    return new Counts(writes, writesSteady, readsSame, readsFresh, naiveWrites, naiveReads);
  }

  /** rowseal's monthly requests in one scenario, priced on each key backend ({@code rowseal.kms}). */
  public record BackendBill(String backend, long requestsPerMonth, double usdPerMonth, String limit,
      String otherCosts) {}

  /** rowseal's requests at the given load, on each backend of {@link BackendCost#all()}. */
  public static BackendBill[] backendBills(Counts c, double writesPerSecond, double readsPerSecond, int processes) {
    long rowseal = bills(c, writesPerSecond, readsPerSecond, processes)[0].requestsPerMonth();
    return BackendCost.all().stream().map(b -> new BackendBill(b.backend(), rowseal,
        b.monthlyDollars(rowseal, 1).doubleValue(), b.limit(), b.otherCosts())).toArray(BackendBill[]::new);
  }

  /** Monthly bill for {@code requests} KMS requests and one CMK, at the seed's prices. */
  public static double usd(long requests) {
    return CostEstimate.SEED_PRICES.monthlyDollars(requests, 1).doubleValue();
  }

  /**
   * Bills at {@code writesPerSecond} row writes and {@code readsPerSecond} row reads sustained, for
   * {@code processes} application processes.
   */
  public static Bill[] bills(Counts c, double writesPerSecond, double readsPerSecond, int processes) {
    long naive = Math.round((writesPerSecond * c.naiveWrites() / ROWS
        + readsPerSecond * c.naiveReads() / ROWS) * MONTH_SECONDS);
    // Per process: the first version's generate-data-key once, then one unwrap per cache refresh.
    long rowseal = processes * (MONTH_SECONDS / ROWSEAL_REFRESH_SECONDS) + c.rowsealWrites();
    return new Bill[] {
        new Bill("rowseal (branch key cached per process)", rowseal, usd(rowseal)),
        new Bill("naive (one KMS call per row write and per row read)", naive, usd(naive))};
  }

  private static void check(Row got, Row want) {
    if (!got.equals(want)) {
      throw new IllegalStateException("round trip changed a row");
    }
  }

  /**
   * The design rowseal avoids: every row write asks the KMS for a data key (plaintext + wrap), every row
   * read asks it to unwrap; fields are AES-GCM under the data key. Only counted, never timed.
   */
  static final class NaivePerRowEnvelope {
    record Stored(byte[] wrappedKey, byte[][] fields) {}

    private final InMemoryCmkProvider cmk;
    private final String cmkId;
    private final EncryptionContext context = EncryptionContext.of(java.util.Map.of("purpose", "naive-row"));

    NaivePerRowEnvelope(InMemoryCmkProvider cmk) {
      this.cmk = cmk;
      this.cmkId = cmk.createKey("naive").cmkId();
    }

    Stored encrypt(Row row) {
      DataKey dk = cmk.generateDataKey(cmkId, context);
      try {
        byte[][] fields = new byte[3][];
        for (int i = 0; i < 3; i++) {
          fields[i] = AesGcm.encrypt(dk.plaintext(), RandomSource.secure(),
              row.field(i).getBytes(StandardCharsets.UTF_8), Row.ATTRIBUTES[i].getBytes(StandardCharsets.UTF_8));
        }
        return new Stored(dk.wrapped(), fields);
      } finally {
        dk.plaintext().destroy();
      }
    }

    Row decrypt(Stored s) throws IntegrityException {
      KeyMaterial key = cmk.unwrap(cmkId, s.wrappedKey(), context);
      try {
        String[] f = new String[3];
        for (int i = 0; i < 3; i++) {
          f[i] = new String(AesGcm.decrypt(key, s.fields()[i], Row.ATTRIBUTES[i].getBytes(StandardCharsets.UTF_8)),
              StandardCharsets.UTF_8);
        }
        return Row.of(f);
      } finally {
        key.destroy();
      }
    }
  }
}
