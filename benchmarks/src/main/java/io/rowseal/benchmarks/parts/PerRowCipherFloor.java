package io.rowseal.benchmarks.parts;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.FloorAesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor's decrypt-row (raw JDK AES-256-GCM, three values, the attribute name as AAD) with what a warm
 * read of rowseal's design cannot avoid: each of the 16,384 rows has a key of its own, kept with its own
 * initialised {@code Cipher} (so no key schedule is repeated), read round-robin. Against the floor's one
 * key and one hot cipher it measures what per-row key state costs in memory traffic alone (each cipher
 * is ≈ 1 KB in a dozen objects, 16 MB for all rows), with no rowseal code involved: the warm read's bound
 * over many rows.
 */
public final class PerRowCipherFloor {
  private static final int ROWS = 1 << 14;
  private static final int IV = FloorAesGcm.IV;
  private static final int TAG = FloorAesGcm.TAG;
  private static final byte[][] AAD = {FloorAesGcm.aad(0), FloorAesGcm.aad(1), FloorAesGcm.aad(2)};

  private final SecretKeySpec[] keys = new SecretKeySpec[ROWS];
  private final Cipher[] ciphers = new Cipher[ROWS];
  private final byte[][][] stored = new byte[ROWS][3][];
  private int next;

  public void setUp() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    Row[] rows = Row.random(ROWS, 11);
    for (int r = 0; r < ROWS; r++) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      keys[r] = new SecretKeySpec(k, "AES");
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      for (int i = 0; i < 3; i++) {
        byte[] plaintext = rows[r].field(i).getBytes(StandardCharsets.UTF_8);
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        byte[] value = new byte[IV + plaintext.length + TAG];
        System.arraycopy(iv, 0, value, 0, IV);
        c.init(Cipher.ENCRYPT_MODE, keys[r], new GCMParameterSpec(TAG * 8, iv));
        c.updateAAD(AAD[i]);
        c.doFinal(plaintext, 0, plaintext.length, value, IV);
        stored[r][i] = value;
      }
      ciphers[r] = c;
      decryptRow(r); // leaves the cipher in decrypt mode with its key schedule, as a cached row key is
    }
  }

  public Row decryptRow() throws GeneralSecurityException {
    return decryptRow(next++ & (ROWS - 1));
  }

  private Row decryptRow(int r) throws GeneralSecurityException {
    String[] fields = new String[3];
    Cipher c = ciphers[r];
    for (int i = 0; i < 3; i++) {
      byte[] value = stored[r][i];
      c.init(Cipher.DECRYPT_MODE, keys[r], new GCMParameterSpec(TAG * 8, value, 0, IV));
      c.updateAAD(AAD[i]);
      fields[i] = new String(c.doFinal(value, IV, value.length - IV), StandardCharsets.UTF_8);
    }
    return Row.of(fields);
  }
}
