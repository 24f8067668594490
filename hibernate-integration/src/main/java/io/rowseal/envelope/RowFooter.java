package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;

/**
 * The row footer: the item signature of one row write (specified in {@code docs/FORMAT.md}). Version 2
 * is written; version 1 stays readable.
 *
 * <pre>
 * offset   size   field (version 2)
 * 0        1      footer version = 0x02
 * 1        23+k   the row header, byte for byte as in every value of the row write: value-format
 *                 version 0x02, flags, k, branch-key id, branch-key version, N
 * 24+k     32     MAC = HMAC-SHA256(M, bytes[0, 24+k) ‖ canonical row), M = KBKDF(DEK, "rowseal/row-mac/v2", N)
 * </pre>
 *
 * Version 3 is version 2 with footer version 0x03 and the label {@code "rowseal/row-mac/v3"}: its
 * canonical row names the row's table and tenant ({@link RowCanonical#of(String, String, String, byte[])}),
 * so a whole row copied into another table or another tenant's schema does not verify. It is written now.
 * Version 1 is the same with a version 1 row header (71+k bytes, the wrapped DEK included) and the label
 * {@code "rowseal/row-mac/v1"}. A footer's version is always its header's. The footer names the row's
 * DEK itself, so it verifies even when every encrypted value of the row is {@code NULL}. The canonical
 * row is {@link RowCanonical}'s encoding.
 */
final class RowFooter {
  static final byte VERSION_1 = ValueFormat.VERSION_1;
  static final byte VERSION_2 = ValueFormat.VERSION_2;
  /** A version 2 row header; the canonical row it signs names the row's table and tenant. */
  static final byte VERSION_3 = 0x03;
  static final String MAC_LABEL_V1 = "rowseal/row-mac/v1";
  static final String MAC_LABEL_V2 = "rowseal/row-mac/v2";
  static final String MAC_LABEL_V3 = "rowseal/row-mac/v3";
  /** Everything of a version 2 footer but the key id: version, the header's fixed part, the MAC. */
  static final int FIXED_LENGTH = 1 + 3 + 4 + ValueFormat.NONCE_LENGTH + HmacSha256.LENGTH;

  private static final byte[] LABEL_V1 = MAC_LABEL_V1.getBytes(StandardCharsets.UTF_8);
  private static final byte[] LABEL_V2 = MAC_LABEL_V2.getBytes(StandardCharsets.UTF_8);
  private static final byte[] LABEL_V3 = MAC_LABEL_V3.getBytes(StandardCharsets.UTF_8);

  private RowFooter() {}

  /** Exact length of a footer written now under branch-key id {@code keyId}: {@code 56 + len(keyId)}. */
  static int length(String keyId) {
    return FIXED_LENGTH + BranchKeyRef.checkKeyId(keyId).length();
  }

  /** Builds the footer of the row write whose header is {@code header} and whose DEK is {@code dek}. */
  static byte[] build(byte[] header, int keyRefLength, KeyMaterial dek, byte[] canonical) {
    return build(header[0], header, keyRefLength, dek, canonical, canonical.length);
  }

  /** A version 3 footer: as version 2, for a canonical row that names its table and tenant. */
  static byte[] buildBound(byte[] header, int keyRefLength, KeyMaterial dek, byte[] canonical, int canonicalLength) {
    if (header[0] != VERSION_2) {
      throw new IllegalArgumentException("a version 3 footer carries a version 2 row header");
    }
    return build(VERSION_3, header, keyRefLength, dek, canonical, canonicalLength);
  }

  private static byte[] build(byte version, byte[] header, int keyRefLength, KeyMaterial dek, byte[] canonical,
      int canonicalLength) {
    byte[] out = new byte[1 + header.length + HmacSha256.LENGTH];
    out[0] = version;
    System.arraycopy(header, 0, out, 1, header.length);
    int macOffset = 1 + header.length;
    byte[] mac = mac(dek, out, 1 + keyRefLength, macOffset, canonical, canonicalLength);
    System.arraycopy(mac, 0, out, macOffset, mac.length);
    return out;
  }

  /** Whether the footer's MAC is right for {@code canonical[0, canonicalLength)} under {@code dek}. */
  static boolean verifies(KeyMaterial dek, byte[] footer, Parsed p, byte[] canonical, int canonicalLength) {
    byte[] expected = mac(dek, footer, p.nonceOffset(), p.macOffset(), canonical, canonicalLength);
    return HmacSha256.matches(expected, footer, p.macOffset());
  }

  private static byte[] mac(KeyMaterial dek, byte[] footer, int nonceOffset, int macOffset, byte[] canonical,
      int canonicalLength) {
    byte[] label = footer[0] == VERSION_1 ? LABEL_V1 : footer[0] == VERSION_2 ? LABEL_V2 : LABEL_V3;
    KeyMaterial macKey = Kbkdf.derive(dek, label, footer, nonceOffset, ValueFormat.NONCE_LENGTH);
    try {
      return HmacSha256.mac(macKey, footer, 0, macOffset, canonical, canonicalLength);
    } finally {
      macKey.destroy();
    }
  }

  /** Parses a footer; every malformation is an {@link IntegrityException}. */
  static Parsed parse(byte[] footer) throws IntegrityException {
    if (footer == null || footer.length < 4) {
      throw new IntegrityException("RS-1002: stored row signature is malformed (too short)");
    }
    if (footer[0] != VERSION_1 && footer[0] != VERSION_2 && footer[0] != VERSION_3) {
      throw new ValueFormat.UnsupportedFormatException("stored row signature", footer[0]);
    }
    ValueFormat.Parsed h = ValueFormat.parse(footer, 1, HmacSha256.LENGTH, "stored row signature");
    if (h.version() != (footer[0] == VERSION_3 ? VERSION_2 : footer[0])) {
      throw new IntegrityException("RS-1002: stored row signature is malformed (header version)");
    }
    if (footer.length != 1 + h.headerLength() + HmacSha256.LENGTH) {
      throw new IntegrityException("RS-1002: stored row signature is malformed (bad length)");
    }
    return new Parsed(h.ref(), h.version(), 1, h.keyRefLength(), 1 + h.headerLength());
  }

  /**
   * Where the parts of a parsed footer are.
   *
   * @param ref the branch-key reference
   * @param version the footer's (and its header's) version
   * @param headerOffset where the row header starts (1)
   * @param keyRefLength length of the header's key-reference prefix
   * @param macOffset where the MAC starts
   */
  record Parsed(BranchKeyRef ref, byte version, int headerOffset, int keyRefLength, int macOffset) {
    int nonceOffset() {
      return headerOffset + keyRefLength;
    }
  }
}
