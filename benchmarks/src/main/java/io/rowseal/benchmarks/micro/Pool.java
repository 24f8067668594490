package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;

/**
 * Rows to encrypt and their stored forms to decrypt, visited round-robin so that no benchmark encrypts
 * or decrypts the same row twice in a row. The size is a power of two. The fast contenders (floor,
 * rowseal, Tink) all use {@link #FAST} rows, so their data has the same memory footprint and cache
 * behaviour; the slow ones use {@link #SLOW} rows, because filling a pool costs one encryption a row.
 */
final class Pool<S> {
  /** Rows for the microsecond-scale contenders. */
  static final int FAST = 1 << 14;
  /** Rows for the millisecond-scale contenders (DB-ESDK, Jasypt). */
  static final int SLOW = 1 << 8;

  final Row[] rows;
  private final Object[] stored;
  private final int mask;
  private int next;

  Pool(RowCipher<S> cipher, int size, long seed) throws Exception {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("pool size must be a power of two, was " + size);
    }
    this.rows = Row.random(size, seed);
    this.stored = new Object[size];
    for (int i = 0; i < size; i++) {
      stored[i] = cipher.encrypt(rows[i]);
    }
    this.mask = size - 1;
  }

  Row nextRow() {
    return rows[next++ & mask];
  }

  @SuppressWarnings("unchecked")
  S nextStored() {
    return (S) stored[next++ & mask];
  }
}
