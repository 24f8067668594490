package io.rowseal.envelope;

import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;

/**
 * Encrypts the values of one row write under one fresh data key (DEK). Every value shares the header
 * (branch-key reference, nonce N) and gets its own random IV; its AAD is the header and
 * the attribute's logical name, so a value moved to another attribute fails to decrypt. The row's
 * footer ({@link #sign}) binds the values to the row: a MAC keyed from the same DEK.
 *
 * <p>Obtain one per row write from {@link Envelope#beginRow()} and close it when the row is written,
 * which destroys the DEK. Not thread-safe: one row write belongs to one thread.
 */
public final class RowEncryptor implements AutoCloseable {
  private final BranchKeyRef branchKey;
  private final byte[] header;
  private final int keyRefLength;
  private final KeyMaterial dek;
  private final RandomSource random;
  private final EnvelopeMetrics metrics;

  RowEncryptor(BranchKeyRef branchKey, byte[] header, KeyMaterial dek, RandomSource random,
      EnvelopeMetrics metrics) {
    this.branchKey = branchKey;
    this.header = header;
    this.keyRefLength = 3 + branchKey.keyId().length() + 4;
    this.dek = dek;
    this.random = random;
    this.metrics = metrics;
  }

  /**
   * Encrypts one value of this row.
   *
   * @param plaintext the value's bytes (may be empty)
   * @param attribute the logical attribute name, e.g. {@code Customer.email}
   * @return the stored form, see {@code docs/FORMAT.md}
   * @throws IllegalStateException after {@link #close()}
   */
  public byte[] encrypt(byte[] plaintext, String attribute) {
    if (attribute == null || attribute.isEmpty()) {
      throw new IllegalArgumentException("attribute name must not be empty");
    }
    if (dek.isDestroyed()) {
      throw new IllegalStateException("row encryptor for branch key " + branchKey + " is closed");
    }
    byte[] out = new byte[header.length + AesGcm.OVERHEAD + plaintext.length];
    System.arraycopy(header, 0, out, 0, header.length);
    AesGcm.encryptInto(dek, random, plaintext, header, attribute.getBytes(StandardCharsets.UTF_8),
        out, header.length);
    metrics.valuesEncrypted.increment();
    return out;
  }

  /**
   * Signs the row: returns its footer, whose MAC, keyed from this row's DEK, covers {@code canonical}
   * ({@link RowCanonical}). Layout in {@code docs/FORMAT.md}.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public byte[] sign(byte[] canonical) {
    if (dek.isDestroyed()) {
      throw new IllegalStateException("row encryptor for branch key " + branchKey + " is closed");
    }
    return RowFooter.build(header, keyRefLength, dek, canonical);
  }

  /**
   * Signs the row with a version 3 footer: {@code canonical} must be a bound canonical row
   * ({@link RowCanonical#of(String, String, String, byte[])}), naming the row's table and tenant.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public byte[] signBound(byte[] canonical) {
    return signBound(canonical, canonical.length);
  }

  /** As {@link #signBound(byte[])}, for the canonical row {@code canonical[0, length)}. */
  public byte[] signBound(byte[] canonical, int length) {
    if (dek.isDestroyed()) {
      throw new IllegalStateException("row encryptor for branch key " + branchKey + " is closed");
    }
    return RowFooter.buildBound(header, keyRefLength, dek, canonical, length);
  }

  /** The branch key whose ACTIVE version this row's DEK is derived from. */
  public BranchKeyRef branchKey() {
    return branchKey;
  }

  /** Destroys the row's DEK. */
  @Override
  public void close() {
    dek.destroy();
  }

  @Override
  public String toString() {
    return "RowEncryptor(branchKey=" + branchKey + ", dek=redacted)";
  }
}
