package io.rowseal.demo.app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The readable parts of a stored value's header, parsed from the raw column bytes exactly as
 * {@code docs/FORMAT.md} (value format v1) lays them out, without any rowseal class: what anyone with
 * read access to the database can see. Holds no key material: N is the nonce the row's DEK was
 * wrapped with, public by design.
 *
 * <pre>
 * 0     1   version 0x01        3     k   branch-key id
 * 1     1   flags 0x00          3+k   4   branch-key version
 * 2     1   k                   7+k   16  N, the row's derive nonce ... then wrapped DEK, IV, ciphertext, tag
 * </pre>
 *
 * @param keyId the branch-key id
 * @param keyVersion the branch-key version
 * @param nonce N, bytes {@code [7+k, 23+k)}: names the row's DEK
 * @param length the whole value's length
 */
record StoredValue(String keyId, long keyVersion, byte[] nonce, int length) {
  private static final int VERSION_1 = 0x01;
  private static final int FIXED_OVERHEAD = 99;

  /** Parses a v1 value; anything else is reported as not a rowseal value. */
  static StoredValue parse(byte[] v) {
    if (v == null || v.length < FIXED_OVERHEAD + 1 || v[0] != VERSION_1) {
      throw new IllegalArgumentException("not a rowseal v1 value" + (v == null ? " (NULL)" : " ("
          + v.length + " bytes)"));
    }
    int k = v[2] & 0xff;
    if (v.length < FIXED_OVERHEAD + k) {
      throw new IllegalArgumentException("not a rowseal v1 value (" + v.length + " bytes, key id of " + k + ")");
    }
    String keyId = new String(v, 3, k, StandardCharsets.US_ASCII);
    long version = 0;
    for (int i = 0; i < 4; i++) {
      version = (version << 8) | (v[3 + k + i] & 0xff);
    }
    return new StoredValue(keyId, version, Arrays.copyOfRange(v, 7 + k, 23 + k), v.length);
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
