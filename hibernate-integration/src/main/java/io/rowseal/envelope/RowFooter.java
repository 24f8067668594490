package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The row footer, version 1: the item signature of one row write (specified in
 * {@code docs/FORMAT.md}).
 *
 * <pre>
 * offset   size   field
 * 0        1      footer version = 0x01
 * 1        71+k   the row header, byte for byte as in every value of the row write: value-format
 *                 version, flags, k, branch-key id, branch-key version, N, wrapped DEK
 * 72+k     32     MAC = HMAC-SHA256(M, bytes[0, 72+k) ‖ canonical row), M = KBKDF(DEK, "rowseal/row-mac/v1", N)
 * </pre>
 *
 * The footer carries the wrapped DEK itself, so it verifies even when every encrypted value of the row
 * is {@code NULL}; it reuses the row's one wrap rather than wrapping the DEK again, so N stays shared.
 * The canonical row is {@link RowCanonical}'s encoding.
 */
final class RowFooter {
  static final byte VERSION_1 = 0x01;
  static final String MAC_LABEL = "rowseal/row-mac/v1";
  /** Everything but the key id: version, the header's fixed part, the MAC. */
  static final int FIXED_LENGTH = 1 + 3 + 4 + DeriveKeyWrapper.WRAPPED_256_LENGTH + HmacSha256.LENGTH;

  private static final byte[] LABEL = MAC_LABEL.getBytes(StandardCharsets.UTF_8);

  private RowFooter() {}

  /** Exact footer length under branch-key id {@code keyId}: {@code 104 + len(keyId)}. */
  static int length(String keyId) {
    return FIXED_LENGTH + BranchKeyRef.checkKeyId(keyId).length();
  }

  /** Builds the footer of the row write whose header is {@code header} and whose DEK is {@code dek}. */
  static byte[] build(byte[] header, int keyRefLength, KeyMaterial dek, byte[] canonical) {
    byte[] out = new byte[1 + header.length + HmacSha256.LENGTH];
    out[0] = VERSION_1;
    System.arraycopy(header, 0, out, 1, header.length);
    int macOffset = 1 + header.length;
    byte[] mac = mac(dek, out, 1 + keyRefLength, macOffset, canonical);
    System.arraycopy(mac, 0, out, macOffset, mac.length);
    return out;
  }

  /** Whether the footer's MAC is right for {@code canonical} under {@code dek}. */
  static boolean verifies(KeyMaterial dek, byte[] footer, Parsed p, byte[] canonical) {
    byte[] expected = mac(dek, footer, p.nonceOffset(), p.macOffset(), canonical);
    return HmacSha256.matches(expected, footer, p.macOffset());
  }

  private static byte[] mac(KeyMaterial dek, byte[] footer, int nonceOffset, int macOffset, byte[] canonical) {
    byte[] nonce = Arrays.copyOfRange(footer, nonceOffset, nonceOffset + DeriveKeyWrapper.NONCE_LENGTH);
    KeyMaterial macKey = Kbkdf.derive(dek, LABEL, nonce);
    try {
      return HmacSha256.mac(macKey, footer, 0, macOffset, canonical);
    } finally {
      macKey.destroy();
    }
  }

  /** Parses a footer; every malformation is an {@link IntegrityException}. */
  static Parsed parse(byte[] footer) throws IntegrityException {
    if (footer == null || footer.length < 4) {
      throw new IntegrityException("RS-1002: stored row signature is malformed (too short)");
    }
    if (footer[0] != VERSION_1) {
      throw new ValueFormat.UnsupportedFormatException("stored row signature", footer[0], VERSION_1);
    }
    ValueFormat.Parsed h = ValueFormat.parse(footer, 1, FIXED_LENGTH - 1, "stored row signature");
    if (footer.length != FIXED_LENGTH + h.ref().keyId().length()) {
      throw new IntegrityException("RS-1002: stored row signature is malformed (bad length)");
    }
    return new Parsed(h.ref(), 1, h.keyRefLength(), 1 + h.headerLength());
  }

  /**
   * Where the parts of a parsed footer are.
   *
   * @param ref the branch-key reference
   * @param headerOffset where the row header starts (1)
   * @param keyRefLength length of the header's key-reference prefix (the DEK wrap's AAD)
   * @param macOffset where the MAC starts
   */
  record Parsed(BranchKeyRef ref, int headerOffset, int keyRefLength, int macOffset) {
    int nonceOffset() {
      return headerOffset + keyRefLength;
    }
  }
}
