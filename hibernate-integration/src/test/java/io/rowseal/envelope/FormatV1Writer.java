package io.rowseal.envelope;

import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one row in value format 1 and row footer 1 from the primitives, as docs/FORMAT.md gives them —
 * what rowseal wrote before format 2, which production no longer writes but must still read: header =
 * key reference ‖ N ‖ GCM(L, 0^96, aad = key reference, D) with L = KBKDF(B, "rowseal/dek/v1", N);
 * values header ‖ IV ‖ GCM(D, IV, header ‖ attribute, m); footer 0x01 ‖ header ‖
 * HMAC(KBKDF(D, "rowseal/row-mac/v1", N), 0x01 ‖ header ‖ canonical row).
 */
public final class FormatV1Writer {
  private final KeyMaterial dek;
  private final byte[] nonce;
  private final byte[] header;

  /** A row under branch key {@code branchKey} (named {@code ref}) with row key {@code dek} and nonce {@code nonce}. */
  public FormatV1Writer(KeyMaterial branchKey, BranchKeyRef ref, KeyMaterial dek, byte[] nonce) {
    this.dek = dek;
    this.nonce = nonce.clone();
    byte[] id = ref.keyId().getBytes(StandardCharsets.US_ASCII);
    int v = ref.version();
    byte[] keyRef = concat(new byte[] {1, 0, (byte) id.length}, id,
        new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    KeyMaterial oneTime = Kbkdf.derive(branchKey, bytes("rowseal/dek/v1"), nonce);
    byte[] sealedDek = AesGcm.encrypt(oneTime, fixed(new byte[AesGcm.IV_LENGTH]), dek.copyBytes(), keyRef);
    this.header = concat(keyRef, nonce, Arrays.copyOfRange(sealedDek, AesGcm.IV_LENGTH, sealedDek.length));
  }

  /** A fresh random row (random DEK and N), as a format 1 writer made them. */
  public static FormatV1Writer randomRow(KeyMaterial branchKey, BranchKeyRef ref) {
    byte[] nonce = new byte[16];
    RandomSource.secure().nextBytes(nonce);
    return new FormatV1Writer(branchKey, ref, KeyMaterial.random256Of(RandomSource.secure()), nonce);
  }

  /** One value of the row with field IV {@code iv}. */
  public byte[] value(byte[] plaintext, String attribute, byte[] iv) {
    byte[] out = new byte[header.length + AesGcm.OVERHEAD + plaintext.length];
    System.arraycopy(header, 0, out, 0, header.length);
    AesGcm.encryptInto(dek, fixed(iv), plaintext, header, bytes(attribute), out, header.length);
    return out;
  }

  /** One value of the row with a random field IV. */
  public byte[] value(byte[] plaintext, String attribute) {
    byte[] iv = new byte[AesGcm.IV_LENGTH];
    RandomSource.secure().nextBytes(iv);
    return value(plaintext, attribute, iv);
  }

  /** The row's footer over {@code canonical} ({@link RowCanonical#toBytes()}). */
  public byte[] footer(byte[] canonical) {
    byte[] footerHead = concat(new byte[] {1}, header);
    KeyMaterial macKey = Kbkdf.derive(dek, bytes("rowseal/row-mac/v1"), nonce);
    return concat(footerHead, HmacSha256.mac(macKey, footerHead, 0, footerHead.length, canonical));
  }

  private static RandomSource fixed(byte[] bytes) {
    return out -> {
      if (out.length != bytes.length) {
        throw new AssertionError("unexpected random draw of " + out.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    };
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
