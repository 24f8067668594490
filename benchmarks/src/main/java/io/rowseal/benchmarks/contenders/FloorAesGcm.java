package io.rowseal.benchmarks.contenders;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The floor: raw JDK AES-256-GCM under one static key, a random 96-bit IV per field, the attribute name
 * as AAD, and a {@code Cipher} and {@code SecureRandom} cached per thread, as a careful user would write
 * it. No key hierarchy, no rotation, no header: nothing can be cheaper and still be randomized AEAD.
 * Stored per field: {@code IV(12) ‖ ciphertext ‖ tag(16)}.
 */
public final class FloorAesGcm implements RowCipher<byte[][]> {
  /** IV and tag lengths of a stored field, bytes. */
  public static final int IV = 12;
  public static final int TAG = 16;
  private static final byte[][] AAD = {
      Row.CODE.getBytes(StandardCharsets.UTF_8),
      Row.EMAIL.getBytes(StandardCharsets.UTF_8),
      Row.ADDRESS.getBytes(StandardCharsets.UTF_8)};
  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(FloorAesGcm::newCipher);
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private final SecretKey key;

  public FloorAesGcm() throws GeneralSecurityException {
    KeyGenerator kg = KeyGenerator.getInstance("AES");
    kg.init(256);
    this.key = kg.generateKey();
  }

  /** The AAD of field {@code i} (its attribute name in UTF-8): a copy. */
  public static byte[] aad(int i) {
    return AAD[i].clone();
  }

  @Override
  public String name() {
    return "floor (JDK AES-256-GCM)";
  }

  @Override
  public byte[][] encrypt(Row row) throws GeneralSecurityException {
    byte[][] out = new byte[3][];
    for (int i = 0; i < 3; i++) {
      out[i] = encryptField(key, row.field(i).getBytes(StandardCharsets.UTF_8), AAD[i]);
    }
    return out;
  }

  @Override
  public Row decrypt(byte[][] stored) throws GeneralSecurityException {
    String[] fields = new String[3];
    for (int i = 0; i < 3; i++) {
      fields[i] = new String(decryptField(key, stored[i], AAD[i]), StandardCharsets.UTF_8);
    }
    return Row.of(fields);
  }

  /** One field the floor's way: a random IV from the thread's {@code SecureRandom}, {@code IV ‖ ct ‖ tag}. */
  public static byte[] encryptField(SecretKey key, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
    byte[] iv = new byte[IV];
    RANDOM.get().nextBytes(iv);
    byte[] value = new byte[IV + plaintext.length + TAG];
    System.arraycopy(iv, 0, value, 0, IV);
    Cipher c = CIPHER.get();
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
    c.updateAAD(aad);
    c.doFinal(plaintext, 0, plaintext.length, value, IV);
    return value;
  }

  /** The plaintext of one field {@link #encryptField} stored. */
  public static byte[] decryptField(SecretKey key, byte[] value, byte[] aad) throws GeneralSecurityException {
    Cipher c = CIPHER.get();
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, value, 0, IV));
    c.updateAAD(aad);
    return c.doFinal(value, IV, value.length - IV);
  }

  @Override
  public int storedBytes(byte[][] stored) {
    return stored[0].length + stored[1].length + stored[2].length;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no AES/GCM/NoPadding", e);
    }
  }
}
