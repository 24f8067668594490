package io.rowseal.benchmarks;

/**
 * One contender: encrypts the three fields of a {@link Row} into whatever it stores for that row, and
 * back. Implementations are what a careful user of each library would write; the benchmarks call
 * them directly, so the unit test that round-trips them also guards the benchmarks from rot.
 *
 * @param <S> the stored form of one row
 */
public interface RowCipher<S> {

  /** Short label used in reports. */
  String name();

  /** Encrypts one row write. */
  S encrypt(Row row) throws Exception;

  /** Decrypts one row read. */
  Row decrypt(S stored) throws Exception;

  /**
   * Bytes stored for the row's three fields, plus any per-row extra the library adds (header,
   * footer); primary keys and column names are not counted for anyone.
   */
  int storedBytes(S stored);
}
