package io.rowseal.benchmarks.parts;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.FloorAesGcm;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The design's row write done in place, with no rowseal code but the KBKDF: what the bound's parts cost
 * when they run one after the other inside a row, instead of each alone in its own loop.
 *
 * <p>{@link #floorEncryptRowWithEntropy} is the floor's encrypt-row (raw JDK AES-256-GCM, one static key)
 * preceded by one unbuffered 16-byte read of {@code /dev/urandom}: the row write's fresh entropy and what
 * the system call does to the work after it (on a kernel that isolates its page tables without PCID, each
 * system call empties the TLB, so the row's AES-GCM after it starts from cold translations; measured alone
 * in a loop of reads, the read pays only its own cost). {@link #encryptRow} is the whole design, straight:
 * that read gives N, the row key is derived from the cached branch key (KBKDF on an HMAC kept keyed), and
 * the three values are encrypted under the new key with the row header and attribute name as AAD, each with
 * a random IV drawn from a block of a JDK DRBG (one call per 32 IVs: cheaper than the floor's draw per IV,
 * as rowseal's own IVs are). No cache, no leases, no header
 * objects, no value encoding beyond UTF-8: what no implementation of the design gets under on this
 * machine. {@link #decryptRowCold} is the design's read of a row whose key is not cached, straight in the
 * same way.
 */
public final class DesignRow {
  private static final byte[] LABEL = "rowseal/dek/v1".getBytes(StandardCharsets.UTF_8);
  /** Value format 2's row header: 23 + 7 bytes for key id {@code default} (docs/FORMAT.md). */
  private static final int HEADER = 30;
  private static final byte[][] AAD = {FloorAesGcm.aad(0), FloorAesGcm.aad(1), FloorAesGcm.aad(2)};

  private final Row[] rows = Row.random(1 << 14, 1);
  private final byte[] n = new byte[16];
  private final byte[] header = new byte[HEADER];
  private FileInputStream urandom;
  private SecretKey staticKey;
  private KeyMaterial branchKey;
  private final byte[][] storedN = new byte[rows.length][];
  private final byte[][][] stored = new byte[rows.length][][];
  /** IVs as cheap as the JDK gives them: one DRBG call per {@value #IV_BLOCK} bytes, as rowseal's engine draws. */
  private static final int IV_BLOCK = 512;
  private final byte[] ivBlock = new byte[IV_BLOCK];
  private int ivPosition = IV_BLOCK;
  private SecureRandom drbg;
  private Cipher cipher;
  private int next;

  public void setUp() throws GeneralSecurityException {
    drbg = SecureRandom.getInstance("DRBG");
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    staticKey = new SecretKeySpec(k, "AES");
    branchKey = KeyMaterial.copyOf(k);
    try {
      urandom = new FileInputStream("/dev/urandom");
    } catch (IOException e) {
      urandom = null; // not Linux: the parts are reported as failing
    }
    SecureRandom random = new SecureRandom();
    for (int r = 0; r < rows.length; r++) {
      storedN[r] = new byte[16];
      random.nextBytes(storedN[r]);
      stored[r] = encryptUnder(storedN[r], rows[r]);
    }
  }

  private void readN() throws IOException {
    if (urandom == null || urandom.read(n) != n.length) {
      throw new IOException("short read from /dev/urandom");
    }
  }

  /** One 16-byte read of /dev/urandom, then the floor's encrypt-row. */
  public byte[][] floorEncryptRowWithEntropy() throws GeneralSecurityException, IOException {
    readN();
    Row row = rows[next++ & (rows.length - 1)];
    byte[][] out = new byte[3][];
    for (int i = 0; i < 3; i++) {
      out[i] = FloorAesGcm.encryptField(staticKey, row.field(i).getBytes(StandardCharsets.UTF_8), AAD[i]);
    }
    return out;
  }

  /** The design's row write, straight: fresh N, KBKDF, new key, three values with header AAD. */
  public byte[][] encryptRow() throws GeneralSecurityException, IOException {
    readN();
    return encryptUnder(n, rows[next++ & (rows.length - 1)]);
  }

  /**
   * The design's read of a row whose key is not cached, straight: the row key derived from the branch key
   * and the row's N, three values decrypted under it with header AAD (the 16,384 rows written by
   * {@link #encryptRow}'s way at set-up, read round-robin).
   */
  public String[] decryptRowCold() throws GeneralSecurityException {
    int r = next++ & (rows.length - 1);
    byte[] rowN = storedN[r];
    SecretKey key = rowKey(rowN, header);
    String[] fields = new String[3];
    for (int i = 0; i < 3; i++) {
      fields[i] = new String(FloorAesGcm.decryptField(key, stored[r][i], aad(header, i)), StandardCharsets.UTF_8);
    }
    return fields;
  }

  private byte[][] encryptUnder(byte[] rowN, Row row) throws GeneralSecurityException {
    SecretKey key = rowKey(rowN, header);
    byte[][] out = new byte[3][];
    for (int i = 0; i < 3; i++) {
      byte[] plaintext = row.field(i).getBytes(StandardCharsets.UTF_8);
      byte[] value = new byte[FloorAesGcm.IV + plaintext.length + FloorAesGcm.TAG];
      if (ivPosition == IV_BLOCK) {
        drbg.nextBytes(ivBlock);
        ivPosition = 0;
      }
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(FloorAesGcm.TAG * 8, ivBlock, ivPosition,
          FloorAesGcm.IV));
      System.arraycopy(ivBlock, ivPosition, value, 0, FloorAesGcm.IV);
      ivPosition += 16; // 32 IVs per block
      cipher.updateAAD(aad(header, i));
      cipher.doFinal(plaintext, 0, plaintext.length, value, FloorAesGcm.IV);
      out[i] = value;
    }
    return out;
  }

  /** The row key from N (KBKDF on the HMAC kept keyed with the branch key); N written into the header. */
  private SecretKey rowKey(byte[] rowN, byte[] rowHeader) {
    KeyMaterial dek = Kbkdf.deriveFromCached(branchKey, LABEL, rowN, 0, rowN.length);
    System.arraycopy(rowN, 0, rowHeader, HEADER - 7 - rowN.length, rowN.length);
    try (KeyMaterial.Lease lease = dek.lease()) {
      return new SecretKeySpec(lease.bytes(), "AES");
    } finally {
      dek.destroy();
    }
  }

  /** Value {@code i}'s AAD: the row header, then the attribute name. */
  private static byte[] aad(byte[] rowHeader, int i) {
    byte[] aad = new byte[HEADER + AAD[i].length];
    System.arraycopy(rowHeader, 0, aad, 0, HEADER);
    System.arraycopy(AAD[i], 0, aad, HEADER, AAD[i].length);
    return aad;
  }
}
