package io.rowseal.benchmarks.parts;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.FloorAesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
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
 *
 * <p>{@link #PerRowCipherFloor() In row order}, the per-row state lies in the order rows are read, so the
 * hardware prefetcher fetches the next rows' ciphers ahead of use. {@link #scattered()} keeps the same
 * state the way a cache does: in the slots of a table, in an order that has nothing to do with the order
 * rows are read in (a cache's slot comes from its key's hash, and a row key's hash from its random N).
 * The state is allocated slot by slot and the garbage collector keeps it in that order (it copies objects
 * in the order it finds them from the table), so reading rows round-robin jumps across the heap as a
 * cache's reads do. Finding the slot is one read of a sequential int array, cheaper than any cache lookup.
 *
 * <p>{@link #rekeyed()} is the other way to hold per-row keys: their 32 raw bytes side by side in one array
 * (half a megabyte for all rows) and a single {@code Cipher} re-keyed for each row, which pays one AES key
 * schedule per row read instead of the memory traffic of a cipher per row.
 */
public final class PerRowCipherFloor {
  private static final int ROWS = 1 << 14;
  private static final int IV = FloorAesGcm.IV;
  private static final int TAG = FloorAesGcm.TAG;
  private static final byte[][] AAD = {FloorAesGcm.aad(0), FloorAesGcm.aad(1), FloorAesGcm.aad(2)};

  /** Row {@code r}'s key and cipher are at {@code keys[slot[r]]} and {@code ciphers[slot[r]]}. */
  private final int[] slot = new int[ROWS];
  private final SecretKeySpec[] keys = new SecretKeySpec[ROWS];
  private final Cipher[] ciphers = new Cipher[ROWS];
  private final byte[][][] stored = new byte[ROWS][3][];
  private final byte[] rawKeys = new byte[32 * ROWS];
  private final Layout layout;
  private int next;

  private enum Layout { IN_ROW_ORDER, SCATTERED, REKEYED }

  /** Per-row state in row order. */
  public PerRowCipherFloor() {
    this(Layout.IN_ROW_ORDER);
  }

  private PerRowCipherFloor(Layout layout) {
    this.layout = layout;
  }

  /** Per-row state in table slots unrelated to the read order, as a cache holds it. */
  public static PerRowCipherFloor scattered() {
    return new PerRowCipherFloor(Layout.SCATTERED);
  }

  /** Per-row raw keys in one array and one cipher, re-keyed per row. */
  public static PerRowCipherFloor rekeyed() {
    return new PerRowCipherFloor(Layout.REKEYED);
  }

  public void setUp() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    Row[] rows = Row.random(ROWS, 11);
    int[] rowAt = new int[ROWS];
    for (int r = 0; r < ROWS; r++) {
      rowAt[r] = r;
      for (int i = 0; i < 3; i++) { // the stored values in row order in both variants, as a pool's are
        stored[r][i] = new byte[IV + rows[r].field(i).getBytes(StandardCharsets.UTF_8).length + TAG];
      }
    }
    if (layout == Layout.SCATTERED) {
      Random shuffle = new Random(19);
      for (int s = ROWS - 1; s > 0; s--) {
        int o = shuffle.nextInt(s + 1);
        int t = rowAt[s];
        rowAt[s] = rowAt[o];
        rowAt[o] = t;
      }
    }
    for (int s = 0; s < ROWS; s++) { // allocated slot by slot
      int r = rowAt[s];
      slot[r] = s;
      byte[] k = new byte[32];
      random.nextBytes(k);
      keys[s] = new SecretKeySpec(k, "AES");
      System.arraycopy(k, 0, rawKeys, 32 * s, 32);
      Cipher c = layout == Layout.REKEYED && s > 0 ? ciphers[0] : Cipher.getInstance("AES/GCM/NoPadding");
      for (int i = 0; i < 3; i++) {
        byte[] plaintext = rows[r].field(i).getBytes(StandardCharsets.UTF_8);
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        byte[] value = stored[r][i];
        System.arraycopy(iv, 0, value, 0, IV);
        c.init(Cipher.ENCRYPT_MODE, keys[s], new GCMParameterSpec(TAG * 8, iv));
        c.updateAAD(AAD[i]);
        c.doFinal(plaintext, 0, plaintext.length, value, IV);
      }
      ciphers[s] = c;
      if (layout == Layout.REKEYED) {
        keys[s] = null;
      }
      decryptRow(r); // leaves the cipher in decrypt mode with its key schedule, as a cached row key is
    }
  }

  public Row decryptRow() throws GeneralSecurityException {
    return decryptRow(next++ & (ROWS - 1));
  }

  private Row decryptRow(int r) throws GeneralSecurityException {
    String[] fields = new String[3];
    int s = slot[r];
    Cipher c = ciphers[s];
    SecretKeySpec key = layout == Layout.REKEYED ? new SecretKeySpec(rawKeys, 32 * s, 32, "AES") : keys[s];
    for (int i = 0; i < 3; i++) {
      byte[] value = stored[r][i];
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, value, 0, IV));
      c.updateAAD(AAD[i]);
      fields[i] = new String(c.doFinal(value, IV, value.length - IV), StandardCharsets.UTF_8);
    }
    return Row.of(fields);
  }
}
