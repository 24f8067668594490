package io.rowseal.envelope;

import io.rowseal.keystore.BranchKeyRef;

/** Cache key of a row DEK: its branch-key reference and its 128-bit derive nonce N. */
record DekId(BranchKeyRef ref, long nonceHigh, long nonceLow) {

  static DekId of(BranchKeyRef ref, byte[] value, int nonceOffset) {
    return new DekId(ref, readLong(value, nonceOffset), readLong(value, nonceOffset + 8));
  }

  private static long readLong(byte[] b, int o) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[o + i] & 0xff);
    }
    return v;
  }
}
