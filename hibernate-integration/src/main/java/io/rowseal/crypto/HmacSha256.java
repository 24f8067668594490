package io.rowseal.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * HMAC-SHA256 (RFC 2104) on the JDK's {@code Mac}, with the message given in two parts so that callers
 * need not concatenate a stored prefix with the rest. Verification compares in constant time.
 * Thread-safe; {@code Mac} objects are cached per thread and re-keyed with the zero key after each use.
 */
public final class HmacSha256 {
  /** Tag length in bytes. */
  public static final int LENGTH = 32;

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(HmacSha256::newMac);

  private HmacSha256() {}

  /** {@code HMAC-SHA256(key, in[offset, offset+length) ‖ rest)}. */
  public static byte[] mac(KeyMaterial key, byte[] in, int offset, int length, byte[] rest) {
    return mac(key, in, offset, length, rest, rest.length);
  }

  /** As {@link #mac(KeyMaterial, byte[], int, int, byte[])}, over {@code rest[0, restLength)}. */
  public static byte[] mac(KeyMaterial key, byte[] in, int offset, int length, byte[] rest, int restLength) {
    Mac mac = MAC.get();
    try (KeyMaterial.Lease k = key.lease()) {
      mac.init(JcaKeys.view(k.bytes(), "HmacSHA256"));
      mac.update(in, offset, length);
      mac.update(rest, 0, restLength);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed: " + e.getClass().getSimpleName(), e);
    } finally {
      JcaKeys.clear(mac); // no pads of this key left in the thread's Mac
    }
  }

  /** Whether {@code tag} equals {@code in[offset, offset+LENGTH)}, compared in constant time. */
  public static boolean matches(byte[] tag, byte[] in, int offset) {
    if (tag.length != LENGTH || in.length < offset + LENGTH) {
      return false;
    }
    return MessageDigest.isEqual(tag, java.util.Arrays.copyOfRange(in, offset, offset + LENGTH));
  }

  /** This thread's {@code Mac} (tests look at what it still holds). */
  static Mac threadMac() {
    return MAC.get();
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no HmacSHA256", e);
    }
  }
}
