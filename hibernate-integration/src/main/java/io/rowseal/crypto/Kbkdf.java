package io.rowseal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * NIST SP 800-108r1 key derivation in counter mode with HMAC-SHA256, for one 256-bit output block:
 * {@code K_out = HMAC-SHA256(K_in, [1]_32 ‖ Label ‖ 0x00 ‖ Context ‖ [256]_32)}
 * (counter before the fixed input, 32-bit counter, 32-bit length field).
 *
 * <p>One block is all rowseal ever derives, so this is one HMAC call on the JDK's {@code Mac}, whose
 * SHA-256 uses CPU intrinsics; Bouncy Castle's general {@code KDFCounterBytesGenerator} computes the
 * same bytes (a test checks both, and NIST CAVP vectors) but over a pure-Java SHA-256 that costs
 * several times more on the per-row hot path. Thread-safe; {@code Mac} objects are cached per thread and
 * re-keyed with the zero key after each derivation ({@link JcaKeys}).
 */
public final class Kbkdf {
  /** Output length in bytes. */
  public static final int OUTPUT_LENGTH = 32;

  private static final byte[] COUNTER_1 = {0, 0, 0, 1};
  private static final byte[] LENGTH_256 = {0, 0, 1, 0};
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(Kbkdf::newMac);

  private Kbkdf() {}

  /** Derives a 256-bit key from {@code parent} for {@code label} and {@code context}. */
  public static KeyMaterial derive(KeyMaterial parent, byte[] label, byte[] context) {
    return derive(parent, label, context, 0, context.length);
  }

  /** Like {@link #derive(KeyMaterial, byte[], byte[])} with the context at {@code in[offset, offset+length)}. */
  public static KeyMaterial derive(KeyMaterial parent, byte[] label, byte[] in, int offset, int length) {
    try (KeyMaterial.Lease k = parent.lease()) {
      return KeyMaterial.adopt(derive(k.bytes(), label, in, offset, length));
    }
  }

  /**
   * Like {@link #derive(KeyMaterial, byte[], byte[], int, int)} for a parent that derives many keys (a
   * cached branch key: one row key per row): the HMAC keyed with {@code parent} is kept with it and reused,
   * instead of keying the thread's HMAC with it and clearing it again (re-keying it with the zero key) for
   * every derivation: two {@code Mac.init} calls less per row. It holds nothing the parent does not: destroying the
   * parent clears it ({@link KeyMaterial}). Each thread that derives from {@code parent} keeps one of its
   * own, found without touching memory another thread writes (up to {@value KeyMaterial#MAX_HMACS} threads;
   * more use their thread's HMAC, keyed and cleared, as {@link #derive(KeyMaterial, byte[], byte[], int, int)}
   * does).
   */
  public static KeyMaterial deriveFromCached(KeyMaterial parent, byte[] label, byte[] in, int offset,
      int length) {
    try (KeyMaterial.Lease k = parent.lease()) {
      byte[] fixed = fixedInput(label, in, offset, length);
      Mac kept = parent.borrowHmac(k);
      if (kept == null) {
        return KeyMaterial.adopt(firstBlock(k.bytes(), fixed));
      }
      try {
        byte[] out = new byte[OUTPUT_LENGTH];
        kept.update(COUNTER_1);
        kept.update(fixed);
        kept.doFinal(out, 0); // resets it to its key, ready for the next derivation
        return KeyMaterial.adopt(out);
      } finally {
        parent.giveBack(kept);
      }
    } catch (InvalidKeyException | ShortBufferException e) {
      throw new IllegalStateException("KBKDF failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The derivation on raw key bytes: {@code fixedInput = Label ‖ 0x00 ‖ Context ‖ [256]_32}. */
  static byte[] derive(byte[] parent, byte[] label, byte[] context) {
    return derive(parent, label, context, 0, context.length);
  }

  private static byte[] derive(byte[] parent, byte[] label, byte[] in, int offset, int length) {
    return firstBlock(parent, fixedInput(label, in, offset, length));
  }

  private static byte[] fixedInput(byte[] label, byte[] in, int offset, int length) {
    byte[] fixed = new byte[label.length + 1 + length + LENGTH_256.length];
    System.arraycopy(label, 0, fixed, 0, label.length);
    System.arraycopy(in, offset, fixed, label.length + 1, length);
    System.arraycopy(LENGTH_256, 0, fixed, fixed.length - LENGTH_256.length, LENGTH_256.length);
    return fixed;
  }

  /**
   * The first output block, {@code HMAC(K, [1]_32 ‖ fixedInput)}: the form the CAVP vectors use, whose
   * fixed input is an opaque string that already holds label, context and length.
   */
  static byte[] firstBlock(byte[] parent, byte[] fixedInput) {
    Mac mac = MAC.get();
    try {
      mac.init(JcaKeys.view(parent, "HmacSHA256"));
      mac.update(COUNTER_1);
      mac.update(fixedInput);
      byte[] out = new byte[OUTPUT_LENGTH];
      mac.doFinal(out, 0);
      return out;
    } catch (InvalidKeyException | ShortBufferException e) {
      throw new IllegalStateException("KBKDF failed: " + e.getClass().getSimpleName(), e);
    } finally {
      // The Mac would otherwise keep the parent's pads (the parent XOR a constant) until this thread's
      // next derivation: a branch key destroyed meanwhile stayed recoverable from it.
      JcaKeys.clear(mac);
    }
  }

  /** This thread's {@code Mac} (tests look at what it still holds). */
  static Mac threadMac() {
    return MAC.get();
  }

  static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no HmacSHA256", e);
    }
  }
}
