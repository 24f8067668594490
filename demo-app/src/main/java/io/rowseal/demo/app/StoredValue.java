package io.rowseal.demo.app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The readable parts of a stored value's header, or of a row footer's, parsed from the raw column
 * bytes exactly as {@code docs/FORMAT.md} (value format v1, row footer v1) lays them out, without any
 * rowseal class: what anyone with read access to the database can see. Holds no key material: N is
 * the nonce the row's DEK was wrapped with, public by design.
 *
 * <pre>
 * value   0     1   version 0x01        3     k   branch-key id
 *         1     1   flags 0x00          3+k   4   branch-key version
 *         2     1   k                   7+k   16  N ... then wrapped DEK, IV, ciphertext, tag
 * footer  0     1   footer version 0x01, then the row's value header (as above, to the wrapped DEK), MAC
 * </pre>
 *
 * @param keyId the branch-key id
 * @param keyVersion the branch-key version
 * @param nonce N, bytes {@code [7+k, 23+k)}: names the row's DEK
 * @param length the whole value's length
 */
record StoredValue(String keyId, long keyVersion, byte[] nonce, int length) {
  private static final int VERSION_1 = 0x01;
  /** Value v1: header, IV and tag around the ciphertext, {@code 99 + k} bytes. */
  private static final int VALUE_OVERHEAD = 99;
  /** Footer v1: {@code 104 + k} bytes exactly. */
  private static final int FOOTER_LENGTH = 104;

  /** Parses a v1 value; anything else is reported as not a rowseal value. */
  static StoredValue parse(byte[] v) {
    if (v == null || v.length < VALUE_OVERHEAD + 1 || v.length < VALUE_OVERHEAD + (v[2] & 0xff)) {
      throw notA("value", v);
    }
    return header(v, 0, "value");
  }

  /** Parses a v1 row footer: its version byte, then the header of the row write it signs. */
  static StoredValue parseFooter(byte[] f) {
    if (f == null || f.length < FOOTER_LENGTH + 1 || f[0] != VERSION_1
        || f.length != FOOTER_LENGTH + (f[3] & 0xff)) {
      throw notA("row footer", f);
    }
    return header(f, 1, "row footer");
  }

  private static StoredValue header(byte[] b, int at, String what) {
    if (b[at] != VERSION_1) {
      throw notA(what, b);
    }
    int k = b[at + 2] & 0xff;
    String keyId = new String(b, at + 3, k, StandardCharsets.US_ASCII);
    long version = 0;
    for (int i = 0; i < 4; i++) {
      version = (version << 8) | (b[at + 3 + k + i] & 0xff);
    }
    return new StoredValue(keyId, version, Arrays.copyOfRange(b, at + 7 + k, at + 23 + k), b.length);
  }

  private static IllegalArgumentException notA(String what, byte[] b) {
    return new IllegalArgumentException("not a rowseal v1 " + what + (b == null ? " (NULL)" : " ("
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
