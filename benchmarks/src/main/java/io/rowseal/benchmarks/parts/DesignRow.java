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
 * as rowseal's own IVs are). No cache, no leases, no header objects, no value encoding beyond UTF-8: what
 * no implementation of the design gets under on this machine. {@link #decryptRowCold} is the design's read
 * of a row whose key is not cached, straight in the same way. Both write and read rowseal's value format 2
 * byte for byte ({@code DesignRowTest}: rowseal's engine reads what this writes, and this reads what the
 * engine writes), so the bound does the design's cryptographic work, no less.
 */
public final class DesignRow {
  private static final byte[] LABEL = "rowseal/dek/v2".getBytes(StandardCharsets.UTF_8);
  /**
   * Value format 2's row header for branch key {@code default} version 1 (docs/FORMAT.md): version, flags,
   * id length, id, key version (big-endian), then N: 23 + 7 bytes.
   */
  private static final byte[] KEY_REFERENCE = {2, 0, 7, 'd', 'e', 'f', 'a', 'u', 'l', 't', 0, 0, 0, 1};
  private static final int HEADER = KEY_REFERENCE.length + 16;
  private static final byte[][] AAD = {FloorAesGcm.aad(0), FloorAesGcm.aad(1), FloorAesGcm.aad(2)};

  private final Row[] rows = Row.random(1 << 14, 1);
  private final byte[] n = new byte[16];
  private final byte[] header = java.util.Arrays.copyOf(KEY_REFERENCE, HEADER);
  private FileInputStream urandom;
  private SecretKey staticKey;
  private final byte[] branchKeyBytes;
  private KeyMaterial branchKey;
  private final byte[][][] stored = new byte[rows.length][][];
  /** IVs as cheap as the JDK gives them: one DRBG call per {@value #IV_BLOCK} bytes, as rowseal's engine draws. */
  private static final int IV_BLOCK = 512;
  private final byte[] ivBlock = new byte[IV_BLOCK];
  private int ivPosition = IV_BLOCK;
  private SecureRandom drbg;
  private Cipher cipher;
  private int next;

  /** Under a random branch key. */
  public DesignRow() {
    this(null);
  }

  /** Under branch key {@code default} version 1 of these bytes (tests), or a random one if {@code null}. */
  public DesignRow(byte[] branchKey) {
    this.branchKeyBytes = branchKey == null ? null : branchKey.clone();
  }

  public void setUp() throws GeneralSecurityException {
    drbg = SecureRandom.getInstance("DRBG");
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    staticKey = new SecretKeySpec(k, "AES");
    branchKey = KeyMaterial.copyOf(branchKeyBytes == null ? k : branchKeyBytes);
    try {
      urandom = new FileInputStream("/dev/urandom");
    } catch (IOException e) {
      urandom = null; // not Linux: the parts are reported as failing
    }
    SecureRandom random = new SecureRandom();
    byte[] rowN = new byte[16];
    for (int r = 0; r < rows.length; r++) {
      random.nextBytes(rowN);
      stored[r] = encryptUnder(rowN, rows[r]);
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
    byte[][] values = stored[next++ & (rows.length - 1)];
    return decrypt(values);
  }

  /** The row's three values, read as the design reads a row whose key is not cached (tests). */
  public String[] decrypt(byte[][] values) throws GeneralSecurityException {
    SecretKey key = rowKey(values[0], KEY_REFERENCE.length);
    String[] fields = new String[3];
    for (int i = 0; i < 3; i++) {
      byte[] value = values[i];
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(FloorAesGcm.TAG * 8, value, HEADER,
          FloorAesGcm.IV));
      cipher.updateAAD(aad(value, i));
      fields[i] = new String(cipher.doFinal(value, HEADER + FloorAesGcm.IV, value.length - HEADER - FloorAesGcm.IV),
          StandardCharsets.UTF_8);
    }
    return fields;
  }

  /** A row written the design's way, straight, without timing (tests compare it with rowseal's values). */
  public byte[][] encrypt(Row row) throws GeneralSecurityException, IOException {
    readN();
    return encryptUnder(n, row);
  }

  /** Stored as rowseal stores a value: {@code header ‖ IV ‖ ciphertext ‖ tag}. */
  private byte[][] encryptUnder(byte[] rowN, Row row) throws GeneralSecurityException {
    System.arraycopy(rowN, 0, header, KEY_REFERENCE.length, rowN.length);
    SecretKey key = rowKey(header, KEY_REFERENCE.length);
    byte[][] out = new byte[3][];
    for (int i = 0; i < 3; i++) {
      byte[] plaintext = row.field(i).getBytes(StandardCharsets.UTF_8);
      byte[] value = new byte[HEADER + FloorAesGcm.IV + plaintext.length + FloorAesGcm.TAG];
      System.arraycopy(header, 0, value, 0, HEADER);
      if (ivPosition == IV_BLOCK) {
        drbg.nextBytes(ivBlock);
        ivPosition = 0;
      }
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(FloorAesGcm.TAG * 8, ivBlock, ivPosition,
          FloorAesGcm.IV));
      System.arraycopy(ivBlock, ivPosition, value, HEADER, FloorAesGcm.IV);
      ivPosition += 16; // 32 IVs per block
      cipher.updateAAD(aad(header, i));
      cipher.doFinal(plaintext, 0, plaintext.length, value, HEADER + FloorAesGcm.IV);
      out[i] = value;
    }
    return out;
  }

  /** The row key from the N at {@code in[offset, offset + 16)} (KBKDF on the HMAC kept keyed with the branch key). */
  private SecretKey rowKey(byte[] in, int offset) {
    KeyMaterial dek = Kbkdf.deriveFromCached(branchKey, LABEL, in, offset, 16);
    try (KeyMaterial.Lease lease = dek.lease()) {
      return new SecretKeySpec(lease.bytes(), "AES");
    } finally {
      dek.destroy();
    }
  }

  /** Value {@code i}'s AAD: the row header (the first bytes of {@code rowHeader}), then the attribute name. */
  private static byte[] aad(byte[] rowHeader, int i) {
    byte[] aad = new byte[HEADER + AAD[i].length];
    System.arraycopy(rowHeader, 0, aad, 0, HEADER);
    System.arraycopy(AAD[i], 0, aad, HEADER, AAD[i].length);
    return aad;
  }
}
