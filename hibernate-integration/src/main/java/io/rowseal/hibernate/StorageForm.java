package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import java.sql.Types;

/** How an encrypted value sits in its column. */
enum StorageForm {
  /** The stored bytes as they are, in a VARBINARY / bytea / BLOB column (the default). */
  BINARY(Types.VARBINARY),
  /** {@code "rs1:"} + Base64 of the stored bytes, in a character column. */
  TEXT(Types.VARCHAR);

  final int sqlType;

  StorageForm(int sqlType) {
    this.sqlType = sqlType;
  }

  /** Exact column width for values whose plaintext encoding is at most {@code capacity} bytes. */
  int width(int capacity, String branchKeyId) {
    return this == BINARY
        ? Envelope.binaryLength(capacity, branchKeyId)
        : Envelope.textLength(capacity, branchKeyId);
  }

  /** Whether a column declared as {@code sqlType} (a {@code columnDefinition}) holds text. */
  static StorageForm ofColumnDefinition(String sqlType) {
    if (sqlType == null) {
      return BINARY;
    }
    String t = sqlType.trim().toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("varchar") || t.startsWith("char") || t.startsWith("nvarchar")
        || t.startsWith("nchar") || t.startsWith("text") || t.startsWith("character")
        || t.startsWith("clob") || t.startsWith("longtext") || t.startsWith("mediumtext")
        || t.startsWith("varchar2") || t.startsWith("national")
        ? TEXT : BINARY;
  }
}
