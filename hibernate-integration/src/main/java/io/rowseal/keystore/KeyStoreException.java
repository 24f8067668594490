package io.rowseal.keystore;

import io.rowseal.RowsealException;
import java.sql.SQLException;

/**
 * The key store's database could not be used. The message names the table, the key id and the
 * SQL state; it never contains key material, and it leaves the driver's own text to the cause.
 */
public class KeyStoreException extends RowsealException {
  private static final long serialVersionUID = 1L;

  /** {@code RS-3001}: an SQL statement on the key store table failed or the database is unreachable. */
  public static final String FAILED = "RS-3001";
  /** {@code RS-3002}: concurrent writers of the same key id won every attempt; retry later. */
  public static final String CONTENDED = "RS-3002";
  /** {@code RS-3004}: a row of the key store table is not one rowseal can have written. */
  public static final String MALFORMED = "RS-3004";

  /**
   * {@code RS-3003}: the store holds something rowseal does not trust (an ACTIVE version that is not
   * the newest or older than one this process already used, a version under a CMK that is not pinned).
   */
  public static final String REFUSED = "RS-3003";

  KeyStoreException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  static KeyStoreException failed(String table, String keyId, String operation, SQLException cause) {
    return new KeyStoreException(FAILED, "key store table " + table + " unreachable or failed while "
        + operation + forKeyId(keyId) + ": SQL state " + (cause.getSQLState() == null ? "none" : cause.getSQLState())
        + ", vendor code " + cause.getErrorCode() + " (" + cause.getClass().getSimpleName() + ", see cause)",
        cause);
  }

  static KeyStoreException contended(String table, String keyId, String operation, int attempts,
      SQLException lastConflict) {
    return new KeyStoreException(CONTENDED, "key store table " + table + ": gave up " + operation
        + forKeyId(keyId) + " after " + attempts + " attempts, each lost to a concurrent writer"
        + (lastConflict == null ? "" : " (last conflict: SQL state " + lastConflict.getSQLState() + ")"),
        lastConflict);
  }

  /** The store's content for {@code keyId} is refused; {@code reason} names versions and CMK ids, never key bytes. */
  public static KeyStoreException refused(String keyId, String reason) {
    return new KeyStoreException(REFUSED, "key store refused for" + forKeyId(keyId) + ": " + reason
        + "; a writer of the key-store table may have altered it (see docs/ERRORS.md, RS-3003)", null);
  }

  static KeyStoreException malformed(String table, String keyId, String problem) {
    return new KeyStoreException(MALFORMED, "key store table " + table + " holds a row for" + forKeyId(keyId)
        + " with " + problem + ": rowseal cannot have written it (edited outside rowseal?); restore the table from a"
        + " backup", null);
  }

  private static String forKeyId(String keyId) {
    return keyId == null ? "" : " key id '" + keyId + "'";
  }
}
