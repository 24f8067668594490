package io.rowseal.crypto;

import io.rowseal.IntegrityException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM with a 96-bit IV and a 128-bit tag, on the JDK's provider (AES-NI and CLMUL intrinsics).
 *
 * <p>The public methods draw the IV themselves from a {@link RandomSource} and write it in front of the
 * ciphertext ({@code IV(12) ‖ ciphertext ‖ tag(16)}); there is no public way to choose an IV. Every
 * authentication failure is an {@link IntegrityException}. {@code Cipher} objects are cached per
 * thread; every method but the two row paths re-keys the thread's cipher with the zero key after use
 * ({@link JcaKeys}), so that keys used there (one-time keys, domain keys) do not stay in it. Thread-safe.
 */
public final class AesGcm {
  /** IV length in bytes. */
  public static final int IV_LENGTH = 12;
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;
  /** Bytes added to a plaintext by {@link #encrypt}. */
  public static final int OVERHEAD = IV_LENGTH + TAG_LENGTH;

  private static final byte[] EMPTY = new byte[0];
  /** The provider of the first cipher made, so that later ones skip the provider search. */
  private static final java.security.Provider PROVIDER = firstProvider();
  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(AesGcm::newCipher);

  private AesGcm() {}

  /** Encrypts {@code plaintext} under {@code key}: returns {@code IV ‖ ciphertext ‖ tag}. */
  public static byte[] encrypt(KeyMaterial key, RandomSource random, byte[] plaintext, byte[] aad) {
    byte[] out = new byte[OVERHEAD + plaintext.length];
    encryptInto(key, random, plaintext, aad, out, 0);
    return out;
  }

  /** Encrypts into {@code out} at {@code offset}: writes {@code OVERHEAD + plaintext.length} bytes. */
  public static void encryptInto(
      KeyMaterial key, RandomSource random, byte[] plaintext, byte[] aad, byte[] out, int offset) {
    try {
      encryptInto(key, random, plaintext, aad, EMPTY, out, offset);
    } finally {
      JcaKeys.clear(CIPHER.get());
    }
  }

  /**
   * Like {@link #encryptInto(KeyMaterial, RandomSource, byte[], byte[], byte[], int)} with the AAD given
   * in two parts ({@code aad1 ‖ aad2}), which saves concatenating a shared header with a per-value suffix.
   * This is the row path: it leaves {@code key}'s schedule in the thread's cipher, so that the next value
   * of the same row write skips the AES key schedule; the next use of the thread's cipher replaces it.
   */
  public static void encryptInto(KeyMaterial key, RandomSource random, byte[] plaintext, byte[] aad1,
      byte[] aad2, byte[] out, int offset) {
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, out, offset, IV_LENGTH);
    try (KeyMaterial.Lease k = key.lease()) {
      Cipher c = CIPHER.get();
      try {
        c.init(Cipher.ENCRYPT_MODE, k.aesKey(), new GCMParameterSpec(TAG_LENGTH * 8, iv));
        c.updateAAD(concat(aad1, 0, aad1.length, aad2));
        c.doFinal(plaintext, 0, plaintext.length, out, offset + IV_LENGTH);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
      }
    }
  }

  /**
   * Decrypts {@code IV ‖ ciphertext ‖ tag} at {@code in[offset, offset+length)} with the AAD in two
   * parts ({@code in[aadOffset, aadOffset+aadLength) ‖ aad2}), on {@code cipher}, or on the thread's
   * cipher when it is {@code null} ({@link AesGcmKey} keeps one per cached key).
   */
  static byte[] decrypt(KeyMaterial key, Cipher cipher, byte[] in, int offset, int length, int aadOffset,
      int aadLength, byte[] aad2) throws IntegrityException {
    if (length < OVERHEAD) {
      throw new IntegrityException("ciphertext too short");
    }
    try (KeyMaterial.Lease k = key.lease()) {
      Cipher c = cipher != null ? cipher : CIPHER.get();
      try {
        c.init(Cipher.DECRYPT_MODE, k.aesKey(), new GCMParameterSpec(TAG_LENGTH * 8, in, offset, IV_LENGTH));
        c.updateAAD(concat(in, aadOffset, aadLength, aad2));
        return c.doFinal(in, offset + IV_LENGTH, length - IV_LENGTH);
      } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
        throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
      } catch (GeneralSecurityException e) {
        throw new IntegrityException("authentication failed");
      }
    }
  }

  /** Decrypts {@code IV ‖ ciphertext ‖ tag}. */
  public static byte[] decrypt(KeyMaterial key, byte[] ivCiphertextTag, byte[] aad)
      throws IntegrityException {
    return decrypt(key, ivCiphertextTag, 0, ivCiphertextTag.length, aad);
  }

  /** Decrypts {@code IV ‖ ciphertext ‖ tag} found at {@code in[offset, offset+length)}. */
  public static byte[] decrypt(KeyMaterial key, byte[] in, int offset, int length, byte[] aad)
      throws IntegrityException {
    if (length < OVERHEAD) {
      throw new IntegrityException("ciphertext too short");
    }
    try (KeyMaterial.Lease k = key.lease()) {
      return open(k, in, offset, in, offset + IV_LENGTH, length - IV_LENGTH, aad);
    }
  }

  /** Seals with a caller-chosen IV. Package-private: only derive-key mode (one-time keys) and tests. */
  static void seal(KeyMaterial.Lease key, byte[] iv, byte[] aad, byte[] in, int inOff, int inLen,
      byte[] out, int outOff) {
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_LENGTH * 8, iv, 0, IV_LENGTH));
      c.updateAAD(aad);
      c.doFinal(in, inOff, inLen, out, outOff);
    } catch (GeneralSecurityException e) {
      // Only a programming error (bad key length, short buffer) can get here.
      throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
    } finally {
      JcaKeys.clear(c);
    }
  }

  /** Opens {@code ct ‖ tag} with the IV at {@code iv[ivOff..]}. Package-private like {@link #seal}. */
  static byte[] open(KeyMaterial.Lease key, byte[] iv, int ivOff, byte[] in, int inOff, int inLen,
      byte[] aad) throws IntegrityException {
    if (inLen < TAG_LENGTH) {
      throw new IntegrityException("ciphertext too short");
    }
    Cipher c = CIPHER.get();
    try {
      c.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_LENGTH * 8, iv, ivOff, IV_LENGTH));
      c.updateAAD(aad);
      return c.doFinal(in, inOff, inLen);
    } catch (AEADBadTagException e) {
      throw new IntegrityException("authentication failed");
    } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("authentication failed");
    } finally {
      JcaKeys.clear(c);
    }
  }

  /**
   * {@code a[offset, offset+length) ‖ b} in one array: the JDK's GCM buffers AAD in a stream that a
   * second {@code updateAAD} call makes grow (a copy), so one call with the whole AAD is cheaper.
   */
  private static byte[] concat(byte[] a, int offset, int length, byte[] b) {
    if (b.length == 0 && offset == 0 && length == a.length) {
      return a;
    }
    byte[] out = new byte[length + b.length];
    System.arraycopy(a, offset, out, 0, length);
    System.arraycopy(b, 0, out, length, b.length);
    return out;
  }

  /**
   * This thread's {@code Cipher}, the one {@link #decrypt} uses when given none: for a caller that keeps it per
   * thread to skip the thread-local lookup ({@code RowKeys.LastRow}). Use it on this thread only. Tests look at
   * what it still holds.
   */
  public static Cipher threadCipher() {
    return CIPHER.get();
  }

  private static java.security.Provider firstProvider() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding").getProvider();
    } catch (java.security.NoSuchAlgorithmException | NoSuchPaddingException e) {
      return null;
    }
  }

  static Cipher newCipher() {
    try {
      return PROVIDER == null ? Cipher.getInstance("AES/GCM/NoPadding")
          : Cipher.getInstance("AES/GCM/NoPadding", PROVIDER);
    } catch (java.security.NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException("the JDK offers no AES/GCM/NoPadding", e);
    }
  }
}
