package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.keystore.BranchKeyRef;

/**
 * The reference of one row write's data key: its branch-key reference and its 128-bit derive nonce N.
 * Every value of one row write and the row's footer share it; two row writes never do. It names a key
 * without containing any key material.
 *
 * @param ref the branch key that wrapped the DEK
 * @param nonceHigh the first 8 bytes of N, big-endian
 * @param nonceLow the last 8 bytes of N, big-endian
 */
public record DekId(BranchKeyRef ref, long nonceHigh, long nonceLow) {

  /** The DEK reference of a stored value (binary form). */
  public static DekId ofValue(byte[] stored) throws IntegrityException {
    ValueFormat.Parsed p = ValueFormat.parse(stored);
    return of(p.ref(), stored, p.keyRefLength());
  }

  /** The DEK reference of a stored row footer. */
  public static DekId ofFooter(byte[] footer) throws IntegrityException {
    RowFooter.Parsed p = RowFooter.parse(footer);
    return of(p.ref(), footer, p.nonceOffset());
  }

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

  @Override
  public String toString() {
    return "DekId(" + ref + ", N=" + String.format("%016x%016x", nonceHigh, nonceLow) + ")";
  }
}
