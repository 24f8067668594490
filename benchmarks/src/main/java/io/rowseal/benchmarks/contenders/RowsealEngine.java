package io.rowseal.benchmarks.contenders;

import io.rowseal.IntegrityException;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;
import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.RowEncryptor;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.charset.StandardCharsets;

/**
 * rowseal's engine as the Hibernate integration drives it: one {@link Envelope#beginRow()} per row
 * write (a fresh N, the row DEK derived from the cached branch key in derive-key mode), three values under it,
 * and {@link Envelope#decrypt} per value on reads. Stored: three self-contained values (binary form).
 */
public final class RowsealEngine implements RowCipher<byte[][]>, AutoCloseable {
  private final Envelope envelope;
  private final InMemoryCmkProvider cmk;

  /** An engine with the default DEK cache (10,000 row keys, 5 minutes). */
  public RowsealEngine() {
    this(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), -1);
  }

  /**
   * An engine over the given provider and store; {@code dekCacheMaxSize} of -1 keeps the default, 0
   * disables the read cache of row keys.
   */
  public RowsealEngine(InMemoryCmkProvider cmk, InMemoryBranchKeyStore store, long dekCacheMaxSize) {
    this.cmk = cmk;
    var builder = Envelope.builder().cmkProvider(cmk).branchKeyStore(store);
    if (dekCacheMaxSize >= 0) {
      builder.dekCacheMaxSize(dekCacheMaxSize);
    }
    this.envelope = builder.build();
  }

  @Override
  public String name() {
    return "rowseal engine";
  }

  @Override
  public byte[][] encrypt(Row row) {
    try (RowEncryptor r = envelope.beginRow()) {
      return new byte[][] {
          r.encrypt(row.code().getBytes(StandardCharsets.UTF_8), Row.CODE),
          r.encrypt(row.email().getBytes(StandardCharsets.UTF_8), Row.EMAIL),
          r.encrypt(row.address().getBytes(StandardCharsets.UTF_8), Row.ADDRESS)};
    }
  }

  @Override
  public Row decrypt(byte[][] stored) throws IntegrityException {
    return new Row(
        new String(envelope.decrypt(stored[0], Row.CODE), StandardCharsets.UTF_8),
        new String(envelope.decrypt(stored[1], Row.EMAIL), StandardCharsets.UTF_8),
        new String(envelope.decrypt(stored[2], Row.ADDRESS), StandardCharsets.UTF_8));
  }

  @Override
  public int storedBytes(byte[][] stored) {
    return stored[0].length + stored[1].length + stored[2].length;
  }

  public Envelope envelope() {
    return envelope;
  }

  /** The provider, which counts every CMK call it serves. */
  public InMemoryCmkProvider cmk() {
    return cmk;
  }

  @Override
  public void close() {
    envelope.close();
  }
}
