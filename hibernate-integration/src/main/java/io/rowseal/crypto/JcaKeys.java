package io.rowseal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How key bytes reach the JCA, and how JCA objects that rowseal keeps let go of them.
 *
 * <p>{@link #view} hands the JDK a key that copies nothing: {@code getEncoded()} returns a fresh copy
 * that the JDK's HMAC zeroes once it has its pads (a {@code SecretKeySpec} would keep one more copy for
 * as long as it lives, and cannot be zeroed). {@link #clear(Mac)} and {@link #clear(Cipher)} re-key a
 * kept {@code Mac} or {@code Cipher} with the all-zero key, so that it no longer holds the last key's
 * HMAC pads, or its AES key schedule, GHASH key and raw copy. See docs/KEY-HIERARCHY.md, "Key bytes in
 * memory", for what remains.
 */
final class JcaKeys {
  private static final SecretKeySpec ZERO_HMAC = new SecretKeySpec(new byte[32], "HmacSHA256");
  private static final SecretKeySpec ZERO_AES = new SecretKeySpec(new byte[32], "AES");

  private JcaKeys() {}

  /** A key over {@code bytes} (not copied); it reads whatever the array holds when the JDK asks. */
  static SecretKey view(byte[] bytes, String algorithm) {
    return new View(bytes, algorithm);
  }

  /** Re-keys {@code mac} with the all-zero key: the last key's pads are overwritten. */
  static void clear(Mac mac) {
    try {
      mac.init(ZERO_HMAC);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("clearing HMAC-SHA256 failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Re-keys {@code cipher} with the all-zero key, in encrypt mode so that the JDK's GCM also replaces
   * the copy of the last encryption key it keeps to refuse a repeated (key, IV). The IV is random only
   * so that two clears in a row never repeat one under the zero key; nothing is encrypted with it.
   */
  static void clear(Cipher cipher) {
    for (int attempt = 0; ; attempt++) {
      byte[] iv = new byte[AesGcm.IV_LENGTH];
      ThreadLocalRandom.current().nextBytes(iv);
      try {
        cipher.init(Cipher.ENCRYPT_MODE, ZERO_AES, new GCMParameterSpec(AesGcm.TAG_LENGTH * 8, iv));
        return;
      } catch (InvalidAlgorithmParameterException e) {
        if (attempt > 0) {
          throw new IllegalStateException("clearing AES-GCM failed", e);
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("clearing AES-GCM failed: " + e.getClass().getSimpleName(), e);
      }
    }
  }

  /** A raw secret key backed by another object's array; never serialised, never shown. */
  private static final class View implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;
    private final String algorithm;

    View(byte[] bytes, String algorithm) {
      this.bytes = bytes;
      this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() {
      return algorithm;
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "JcaKeys.View(" + algorithm + ", redacted)";
    }
  }
}
