package io.rowseal.crypto;

import io.rowseal.IntegrityException;
import java.nio.charset.StandardCharsets;

/**
 * Derive-key mode wrapping (AWS KMS, Campagna–Gueron 2019): every wrap draws a fresh 128-bit nonce
 * {@code N}, derives a one-time key {@code L = KBKDF(parent, label, N)} and seals the child key with
 * AES-256-GCM under {@code L}. Because {@code L} encrypts exactly one message, its GCM IV is the fixed
 * all-zero block, and the random-IV collision bound (2<sup>32</sup> messages per key) never limits how
 * many keys a parent wraps; the limit becomes the 2<sup>-128</sup>-scale chance of two equal nonces.
 *
 * <p>Wire form: {@code N(16) ‖ GCM_L(child)(child.length) ‖ tag(16)}. The AAD is the caller's and must
 * bind the wrap to its context (key reference, purpose); the label separates purposes in the KDF.
 * Thread-safe.
 */
public final class DeriveKeyWrapper {
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 16;
  /** Length of a wrapped 256-bit key. */
  public static final int WRAPPED_256_LENGTH = NONCE_LENGTH + 32 + AesGcm.TAG_LENGTH;

  private static final byte[] ZERO_IV = new byte[AesGcm.IV_LENGTH];

  private final byte[] label;
  private final RandomSource random;

  /** A wrapper for one purpose; {@code label} is the KDF label, e.g. {@code "rowseal/dek"}. */
  public DeriveKeyWrapper(String label, RandomSource random) {
    if (label == null || label.isEmpty()) {
      throw new IllegalArgumentException("label must not be empty");
    }
    this.label = label.getBytes(StandardCharsets.UTF_8);
    this.random = random;
  }

  /** Wraps {@code child} under {@code parent}: returns {@code N ‖ ciphertext ‖ tag}. */
  public byte[] wrap(KeyMaterial parent, KeyMaterial child, byte[] aad) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextKeyBytes(nonce); // makes the one-time key: never repeated by a restored copy
    return wrapWithNonce(parent, child, nonce, aad);
  }

  /** Wraps under a given nonce. Package-private: the nonce must be fresh, so only tests choose it. */
  byte[] wrapWithNonce(KeyMaterial parent, KeyMaterial child, byte[] nonce, byte[] aad) {
    byte[] out = new byte[NONCE_LENGTH + child.length() + AesGcm.TAG_LENGTH];
    System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
    KeyMaterial oneTime = Kbkdf.derive(parent, label, nonce);
    try (KeyMaterial.Lease l = oneTime.lease(); KeyMaterial.Lease c = child.lease()) {
      AesGcm.seal(l, ZERO_IV, aad, c.bytes(), 0, c.bytes().length, out, NONCE_LENGTH);
    } finally {
      oneTime.destroy();
    }
    return out;
  }

  /** Unwraps {@code N ‖ ciphertext ‖ tag} found at {@code wrapped[offset, offset+length)}. */
  public KeyMaterial unwrap(KeyMaterial parent, byte[] wrapped, int offset, int length, byte[] aad)
      throws IntegrityException {
    if (length <= NONCE_LENGTH + AesGcm.TAG_LENGTH) {
      throw new IntegrityException("wrapped key too short");
    }
    byte[] nonce = java.util.Arrays.copyOfRange(wrapped, offset, offset + NONCE_LENGTH);
    KeyMaterial oneTime = Kbkdf.derive(parent, label, nonce);
    try (KeyMaterial.Lease l = oneTime.lease()) {
      byte[] child = AesGcm.open(l, ZERO_IV, 0, wrapped, offset + NONCE_LENGTH,
          length - NONCE_LENGTH, aad);
      return KeyMaterial.adopt(child);
    } finally {
      oneTime.destroy();
    }
  }

  /** Unwraps a whole {@code N ‖ ciphertext ‖ tag} array. */
  public KeyMaterial unwrap(KeyMaterial parent, byte[] wrapped, byte[] aad) throws IntegrityException {
    return unwrap(parent, wrapped, 0, wrapped.length, aad);
  }

  @Override
  public String toString() {
    return "DeriveKeyWrapper(" + new String(label, StandardCharsets.UTF_8) + ")";
  }
}
