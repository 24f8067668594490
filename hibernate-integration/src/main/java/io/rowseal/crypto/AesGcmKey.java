package io.rowseal.crypto;

import io.rowseal.IntegrityException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import javax.crypto.Cipher;

/**
 * A key kept for repeated AES-GCM decryption, e.g. a cached row key: it can hold a {@code Cipher}
 * initialised with it, so that later decryptions skip the AES key schedule (about 1 µs per key on
 * JDK 17, more than decrypting a short value). The cipher is made on the first decryption that asks
 * for it ({@code keep}), never for a key used once. Destroying the key clears the cipher (its key
 * schedule is overwritten with the zero key's) and drops it.
 *
 * <p>Thread-safe: a thread borrows the cipher for one decryption; a second thread meanwhile uses its
 * own thread's cipher. Costs about 0.8 KB of heap per key holding a cipher.
 */
public final class AesGcmKey {
  private static final VarHandle CIPHER;

  static {
    try {
      CIPHER = MethodHandles.lookup().findVarHandle(AesGcmKey.class, "cipher", Cipher.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeyMaterial key;
  /** Borrowed with getAndSet(null), given back after use; a field, not an AtomicReference: one object less to reach per read. */
  @SuppressWarnings("unused") // accessed through CIPHER
  private volatile Cipher cipher;

  /** Takes ownership of {@code key}: {@link #destroy()} destroys it. */
  public AesGcmKey(KeyMaterial key) {
    this.key = key;
  }

  public KeyMaterial key() {
    return key;
  }

  /**
   * Decrypts {@code IV ‖ ciphertext ‖ tag} at {@code in[offset, offset+length)} with the AAD
   * {@code in[aadOffset, aadOffset+aadLength) ‖ aad2}.
   *
   * @param keep whether to make (and keep) a cipher of this key's own when it has none yet
   * @throws DestroyedKeyException if the key was destroyed
   */
  public byte[] decrypt(byte[] in, int offset, int length, int aadOffset, int aadLength, byte[] aad2,
      boolean keep) throws IntegrityException {
    return decrypt(in, offset, length, aadOffset, aadLength, aad2, keep, null);
  }

  /**
   * As {@link #decrypt(byte[], int, int, int, int, byte[], boolean)}; {@code threadCipher} is the calling
   * thread's {@link AesGcm#threadCipher()} (or {@code null}), used when this key has no cipher of its own and
   * none is to be made.
   */
  public byte[] decrypt(byte[] in, int offset, int length, int aadOffset, int aadLength, byte[] aad2,
      boolean keep, Cipher threadCipher) throws IntegrityException {
    // a key read without keeping a cipher mostly has none: a plain read spares the atomic exchange then
    Cipher own = keep || cipher != null ? (Cipher) CIPHER.getAndSet(this, (Cipher) null) : null;
    if (own == null && keep) {
      own = AesGcm.newCipher();
    }
    try {
      Cipher c = own != null ? own : threadCipher;
      return AesGcm.decrypt(key, c, in, offset, length, aadOffset, aadLength, aad2);
    } finally {
      if (own != null) {
        if (key.isDestroyed()) {
          JcaKeys.clear(own);
        } else {
          cipher = own;
          if (key.isDestroyed()) { // destroyed while we held the cipher: destroy() found none to clear
            clearHeldCipher();
          }
        }
      }
    }
  }

  /** The cipher this key holds, or {@code null} (tests). */
  Cipher heldCipher() {
    return cipher;
  }

  /** Whether this key holds a cipher of its own (tests). */
  boolean holdsCipher() {
    return cipher != null;
  }

  /** Destroys the key and clears its cipher (re-keyed with the zero key, then dropped). Idempotent. */
  public void destroy() {
    key.destroy();
    clearHeldCipher();
  }

  private void clearHeldCipher() {
    Cipher c = (Cipher) CIPHER.getAndSet(this, (Cipher) null);
    if (c != null) {
      JcaKeys.clear(c);
    }
  }

  public boolean isDestroyed() {
    return key.isDestroyed();
  }

  @Override
  public String toString() {
    return "AesGcmKey(redacted)";
  }
}
