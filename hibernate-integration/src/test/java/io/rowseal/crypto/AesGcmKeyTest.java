package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AesGcmKeyTest {
  private static final byte[] AAD = "header".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ATTRIBUTE = "T.a".getBytes(StandardCharsets.UTF_8);

  private static byte[] sealed(KeyMaterial key, String plaintext) {
    byte[] out = new byte[AAD.length + AesGcm.OVERHEAD + plaintext.length()];
    System.arraycopy(AAD, 0, out, 0, AAD.length);
    AesGcm.encryptInto(key, RandomSource.secure(), plaintext.getBytes(StandardCharsets.UTF_8), AAD, ATTRIBUTE,
        out, AAD.length);
    return out;
  }

  private static byte[] open(AesGcmKey key, byte[] in, boolean keep) throws IntegrityException {
    return key.decrypt(in, AAD.length, in.length - AAD.length, 0, AAD.length, ATTRIBUTE, keep);
  }

  private final KeyMaterial material = KeyMaterial.random256Of(RandomSource.secure());

  @Test
  void decrypt_keepsACipherOnlyWhenAsked_andDecryptsTheSameEitherWay() throws Exception {
    AesGcmKey key = new AesGcmKey(material);
    byte[] a = sealed(material, "alpha");
    byte[] b = sealed(material, "beta");

    assertThat(open(key, a, false)).asString(StandardCharsets.UTF_8).isEqualTo("alpha");
    assertThat(key.holdsCipher()).isFalse();
    assertThat(open(key, b, true)).asString(StandardCharsets.UTF_8).isEqualTo("beta");
    assertThat(key.holdsCipher()).isTrue();
    assertThat(open(key, a, false)).asString(StandardCharsets.UTF_8).isEqualTo("alpha");
  }

  @Test
  void decrypt_tamperedWithAKeptCipher_failsAndTheCipherStillWorks() throws Exception {
    AesGcmKey key = new AesGcmKey(material);
    byte[] a = sealed(material, "alpha");
    open(key, a, true);
    byte[] tampered = a.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(() -> open(key, tampered, true)).isInstanceOf(IntegrityException.class);
    assertThat(open(key, a, true)).asString(StandardCharsets.UTF_8).isEqualTo("alpha");
  }

  @Test
  void destroy_dropsTheCipherAndRefusesFurtherUse() throws Exception {
    AesGcmKey key = new AesGcmKey(material);
    byte[] a = sealed(material, "alpha");
    open(key, a, true);

    key.destroy();

    assertThat(key.holdsCipher()).isFalse();
    assertThat(material.isDestroyed()).isTrue();
    assertThatThrownBy(() -> open(key, a, true)).isInstanceOf(DestroyedKeyException.class);
    assertThat(key).hasToString("AesGcmKey(redacted)");
  }
}
