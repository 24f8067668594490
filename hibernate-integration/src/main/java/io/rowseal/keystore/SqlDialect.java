package io.rowseal.keystore;

import java.util.Locale;

/**
 * The few column types that differ between the databases the key store supports. Everything else
 * the store issues is plain SQL that H2 2.x, PostgreSQL and MariaDB/MySQL all accept.
 */
enum SqlDialect {
  H2("VARCHAR(64)", "VARBINARY(" + KeyStoreSql.MAX_WRAPPED_KEY_BYTES + ")", ""),
  POSTGRESQL("VARCHAR(64)", "BYTEA", ""),
  // MariaDB's default collations compare case-insensitively, which would merge key ids 'a' and 'A'
  // that H2 and PostgreSQL keep apart; ascii_bin compares bytes. InnoDB is the default engine, but a
  // server configured for MyISAM would silently lose the transactions that make rotation atomic.
  MARIADB("VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin",
      "VARBINARY(" + KeyStoreSql.MAX_WRAPPED_KEY_BYTES + ")", " ENGINE=InnoDB"),
  /** An untested database: standard SQL types, no guarantees beyond what its driver gives. */
  STANDARD("VARCHAR(64)", "VARBINARY(" + KeyStoreSql.MAX_WRAPPED_KEY_BYTES + ")", "");

  final String keyIdType;
  final String binaryType;
  final String tableOptions;

  SqlDialect(String keyIdType, String binaryType, String tableOptions) {
    this.keyIdType = keyIdType;
    this.binaryType = binaryType;
    this.tableOptions = tableOptions;
  }

  /** The dialect for a {@code DatabaseMetaData.getDatabaseProductName()}. */
  static SqlDialect forProduct(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.startsWith("h2")) {
      return H2;
    }
    if (name.startsWith("postgresql")) {
      return POSTGRESQL;
    }
    if (name.startsWith("mariadb") || name.startsWith("mysql")) {
      return MARIADB;
    }
    return STANDARD;
  }
}
