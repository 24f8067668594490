package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What a key leaves in the JCA objects rowseal keeps per thread or per key, once it is destroyed. A
 * thread's {@code Mac} used without a new {@code init} still computes under the last key it was given,
 * and a {@code Cipher} used without a new {@code init} still opens under its last key and IV: these are
 * the observables. See docs/KEY-HIERARCHY.md, "Key bytes in memory".
 */
class KeyResidueTest {
  private static final byte[] LABEL = "rowseal/test".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROBE = "probe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECRET = "secret".getBytes(StandardCharsets.US_ASCII);

  private final KeyMaterial key = KeyMaterial.random256Of(RandomSource.secure());
  private final byte[] keyBytes = key.copyBytes();

  @Test
  void kbkdfDerive_parentDestroyedAfterwards_threadMacNoLongerComputesUnderTheParent() throws Exception {
    Kbkdf.derive(key, LABEL, new byte[16]).destroy();
    key.destroy();

    assertThat(Kbkdf.threadMac().doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
  }

  @Test
  void kbkdfDeriveFromCached_parentDestroyedAfterwards_keptMacNoLongerComputesUnderTheParent() throws Exception {
    Kbkdf.deriveFromCached(key, LABEL, new byte[16], 0, 16).destroy();
    Mac kept;
    try (KeyMaterial.Lease lease = key.lease()) {
      kept = key.borrowHmac(lease);
    }
    assertThat(kept.doFinal(PROBE)).isEqualTo(hmac(keyBytes, PROBE)); // the observable works
    key.giveBack(kept);
    assertThat(key.heldHmacs()).isEqualTo(1);
    key.destroy();

    assertThat(key.heldHmacs()).isZero();
    assertThat(kept.doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
  }

  @Test
  void kbkdfDeriveFromCached_parentDestroyedWhileDeriving_keptMacIsClearedWhenGivenBack() throws Exception {
    Kbkdf.deriveFromCached(key, LABEL, new byte[16], 0, 16).destroy();
    Mac kept;
    try (KeyMaterial.Lease lease = key.lease()) {
      kept = key.borrowHmac(lease);
      key.destroy(); // a lease is open: the bytes are wiped at its close
      key.giveBack(kept);
    }

    assertThat(key.heldHmacs()).isZero();
    assertThat(kept.doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
  }

  @Test
  void kbkdfDeriveFromCached_threadsDerivingAtOnce_eachKeptMacIsClearedAtDestroy() throws Exception {
    Mac[] kept = new Mac[3];
    java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    try (KeyMaterial.Lease lease = key.lease()) {
      Thread[] threads = new Thread[kept.length];
      for (int i = 0; i < kept.length; i++) {
        int t = i;
        threads[i] = new Thread(() -> {
          try {
            kept[t] = key.borrowHmac(lease); // three threads at once: one HMAC each, kept for the thread
            assertThat(key.borrowHmac(lease)).isSameAs(kept[t]);
            key.giveBack(kept[t]);
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        threads[i].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(kept).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(key.heldHmacs()).isEqualTo(3);
    key.destroy();

    assertThat(key.heldHmacs()).isZero();
    for (Mac m : kept) {
      assertThat(m.doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
    }
  }

  @Test
  void hmacSha256Mac_keyDestroyedAfterwards_threadMacNoLongerComputesUnderTheKey() throws Exception {
    HmacSha256.mac(key, new byte[1], 0, 1, new byte[0]);
    key.destroy();

    assertThat(HmacSha256.threadMac().doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
  }

  @Test
  void aesGcmDecrypt_keyDestroyedAfterwards_threadCipherNoLongerOpensUnderTheKey() throws Exception {
    byte[] sealed = AesGcm.encrypt(key, RandomSource.secure(), SECRET, AAD);
    AesGcm.decrypt(key, sealed, AAD);
    key.destroy();

    assertThat(reopen(AesGcm.threadCipher(), sealed, AesGcm.IV_LENGTH)).isNotEqualTo(SECRET);
  }

  @Test
  void deriveKeyUnwrap_parentDestroyedAfterwards_threadCipherNoLongerOpensTheWrappedKey() throws Exception {
    DeriveKeyWrapper wrapper = new DeriveKeyWrapper("rowseal/test-wrap", RandomSource.secure());
    KeyMaterial child = KeyMaterial.random256Of(RandomSource.secure());
    byte[] wrapped = wrapper.wrap(key, child, AAD);
    wrapper.unwrap(key, wrapped, AAD).destroy();
    key.destroy();

    assertThat(reopen(AesGcm.threadCipher(), wrapped, DeriveKeyWrapper.NONCE_LENGTH))
        .isNotEqualTo(child.copyBytes());
    assertThat(Kbkdf.threadMac().doFinal(PROBE)).isNotEqualTo(hmac(keyBytes, PROBE));
  }

  @Test
  void aesGcmKeyDestroy_keptCipher_noLongerOpensUnderTheKey() throws Exception {
    AesGcmKey rowKey = new AesGcmKey(key);
    byte[] sealed = AesGcm.encrypt(key, RandomSource.secure(), SECRET, AAD);
    byte[] stored = new byte[AAD.length + sealed.length]; // AAD ‖ IV ‖ ciphertext ‖ tag, as a value stores it
    System.arraycopy(AAD, 0, stored, 0, AAD.length);
    System.arraycopy(sealed, 0, stored, AAD.length, sealed.length);
    rowKey.decrypt(stored, AAD.length, sealed.length, 0, AAD.length, new byte[0], true);
    Cipher kept = rowKey.heldCipher();
    assertThat(kept).isNotNull();
    rowKey.destroy();

    assertThat(reopen(kept, stored, AAD.length + AesGcm.IV_LENGTH)).isNotEqualTo(SECRET);
  }

  @Test
  void keyMaterialDestroy_aesKeyObjectHandedToTheJdk_encodesNoKeyBytesAfterwards() {
    SecretKey handedOut;
    try (KeyMaterial.Lease l = key.lease()) {
      handedOut = l.aesKey();
    }
    key.destroy();

    assertThat(handedOut.getEncoded()).isNotEqualTo(keyBytes).containsOnly(0);
  }

  /**
   * Runs {@code cipher} again, without a new init, on the ciphertext ‖ tag at {@code sealed[ciphertextAt..]}:
   * its output, or {@code null} if it refuses. A cipher still holding the key and IV returns the plaintext.
   */
  private static byte[] reopen(Cipher cipher, byte[] sealed, int ciphertextAt) {
    try {
      cipher.updateAAD(AAD);
      return cipher.doFinal(sealed, ciphertextAt, sealed.length - ciphertextAt);
    } catch (GeneralSecurityException | IllegalStateException e) {
      return null;
    }
  }

  private static byte[] hmac(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }
}
