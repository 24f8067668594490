package io.rowseal.demo.app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The readable parts of a stored value's header, or of a row footer's, parsed from the raw column
 * bytes exactly as {@code docs/FORMAT.md} (value formats 1 and 2, row footers 1 to 3) lays them out,
 * without any rowseal class: what anyone with read access to the database can see. Holds no key
 * material: N is the nonce the row's DEK was derived (v2) or wrapped (v1) with, public by design.
 *
 * <pre>
 * value   0     1   version 0x02 (0x01) 3     k   branch-key id
 *         1     1   flags 0x00          3+k   4   branch-key version
 *         2     1   k                   7+k   16  N ... then (v1: the wrapped DEK,) IV, ciphertext, tag
 * footer  0     1   footer version (0x03: a 0x02 header, table and tenant signed too; 0x01/0x02: the
 *                   header's), then the row's value header (as above), MAC
 * </pre>
 *
 * @param keyId the branch-key id
 * @param keyVersion the branch-key version
 * @param nonce N, bytes {@code [7+k, 23+k)}: names the row's DEK
 * @param length the whole value's length
 */
record StoredValue(String keyId, long keyVersion, byte[] nonce, int length) {
  /** Header, IV and tag around the ciphertext, {@code overhead + k} bytes; index = format version. */
  private static final int[] VALUE_OVERHEAD = {0, 99, 51};
  /** Footers are {@code length + k} bytes exactly; index = format version. */
  private static final int[] FOOTER_LENGTH = {0, 104, 56};

  /** Parses a value of format 1 or 2; anything else is reported as not a rowseal value. */
  static StoredValue parse(byte[] v) {
    int version = version(v, 0);
    if (version == 0 || v.length < VALUE_OVERHEAD[version] + (v[2] & 0xff)) {
      throw notA("value", v);
    }
    return header(v, 0);
  }

  /** Parses a row footer: its version byte, then the header of the row write it signs. */
  static StoredValue parseFooter(byte[] f) {
    int version = version(f, 1);
    int footerVersion = version == 2 && f[0] == 3 ? 2 : f[0]; // footer 3 carries a version 2 header
    if (version == 0 || footerVersion != version || f.length != FOOTER_LENGTH[version] + (f[3] & 0xff)) {
      throw notA("row footer", f);
    }
    return header(f, 1);
  }

  /** The format version of the header at {@code b[at]}, 0 when it is none this demo knows. */
  private static int version(byte[] b, int at) {
    if (b == null || b.length < at + 3 + 4 + 16 + 1) {
      return 0;
    }
    int v = b[at];
    return v == 1 || v == 2 ? v : 0;
  }

  private static StoredValue header(byte[] b, int at) {
    int k = b[at + 2] & 0xff;
    String keyId = new String(b, at + 3, k, StandardCharsets.US_ASCII);
    long version = 0;
    for (int i = 0; i < 4; i++) {
      version = (version << 8) | (b[at + 3 + k + i] & 0xff);
    }
    return new StoredValue(keyId, version, Arrays.copyOfRange(b, at + 7 + k, at + 23 + k), b.length);
  }

  private static IllegalArgumentException notA(String what, byte[] b) {
    return new IllegalArgumentException("not a rowseal " + what + (b == null ? " (NULL)" : " ("
        + b.length + " bytes)"));
  }

  /** {@code keyId v<version>}, as the output shows a branch-key version. */
  String branchKey() {
    return keyId + " v" + keyVersion;
  }

  /** N, shortened for the output. */
  String nonceShort() {
    return Hex.shorten(nonce, 3, 3);
  }

  boolean sameRowKey(StoredValue other) {
    return keyId.equals(other.keyId) && keyVersion == other.keyVersion && Arrays.equals(nonce, other.nonce);
  }
}
