package io.rowseal.keystore;

import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL text of one key store: a version table (one row per key id and version) and its head
 * table ({@code <name>_head}, one row per key id). Table names are validated here before they are
 * ever concatenated into SQL, which is why plain string building is safe.
 */
final class KeyStoreSql {
  private static final Logger LOG = LoggerFactory.getLogger(KeyStoreSql.class);
  static final String DEFAULT_TABLE = "rowseal_branch_keys";
  static final String HEAD_SUFFIX = "_head";
  /** PostgreSQL truncates identifiers beyond 63 bytes; the head table adds {@value #HEAD_SUFFIX}. */
  static final int MAX_TABLE_NAME_LENGTH = 63 - HEAD_SUFFIX.length();
  static final int MAX_CMK_ID_LENGTH = 2048;
  /** Far above any CMK's wrap of a 256-bit key (AWS KMS: about 200 bytes). */
  static final int MAX_WRAPPED_KEY_BYTES = 4096;

  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_TABLE_NAME_LENGTH - 1) + "}");
  private static final String COLUMNS =
      "key_id, key_version, status, cmk_id, wrapped_key, created_at_ms";

  final String table;
  final String headTable;
  final String createTable;
  final String createHeadTable;
  final String probeTables;
  final String selectHead;
  final String insertHead;
  final String advanceHead;
  final String demoteActive;
  final String insertVersion;
  final String selectVersion;
  final String selectActive;
  final String selectVersions;
  final String destroyVersion;

  private KeyStoreSql(String table, SqlDialect dialect) {
    this.table = checkTableName(table);
    this.headTable = table + HEAD_SUFFIX;
    // created_at_ms is epoch milliseconds: TIMESTAMP types and their time-zone handling differ
    // between the three drivers, a BIGINT round-trips an Instant exactly everywhere.
    createTable = "CREATE TABLE IF NOT EXISTS " + table + " ("
        + "key_id " + dialect.keyIdType + " NOT NULL, "
        + "key_version INT NOT NULL, "
        + "status VARCHAR(16) NOT NULL, "
        + "cmk_id VARCHAR(" + MAX_CMK_ID_LENGTH + ") NOT NULL, "
        + "wrapped_key " + dialect.binaryType + ", "
        + "created_at_ms BIGINT NOT NULL, "
        + "PRIMARY KEY (key_id, key_version))" + dialect.tableOptions;
    createHeadTable = "CREATE TABLE IF NOT EXISTS " + headTable + " ("
        + "key_id " + dialect.keyIdType + " NOT NULL PRIMARY KEY, "
        + "active_version INT NOT NULL, "
        + "max_version INT NOT NULL)" + dialect.tableOptions;
    // Selecting every column also checks that a table found under this name has our layout.
    probeTables = "SELECT v." + COLUMNS.replace(", ", ", v.") + ", h.active_version, h.max_version"
        + " FROM " + table + " v, " + headTable + " h WHERE 1 = 0";
    selectHead = "SELECT active_version, max_version FROM " + headTable + " WHERE key_id = ?";
    insertHead = "INSERT INTO " + headTable + " (key_id, active_version, max_version) VALUES (?, 1, 1)";
    advanceHead = "UPDATE " + headTable + " SET active_version = ?, max_version = ?"
        + " WHERE key_id = ? AND max_version = ?";
    demoteActive = "UPDATE " + table + " SET status = 'DECRYPT_ONLY'"
        + " WHERE key_id = ? AND key_version = ? AND status = 'ACTIVE'";
    insertVersion = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, 'ACTIVE', ?, ?, ?)";
    selectVersion = "SELECT " + COLUMNS + " FROM " + table + " WHERE key_id = ? AND key_version = ?";
    selectActive = "SELECT " + COLUMNS + " FROM " + table + " WHERE key_id = ? AND status = 'ACTIVE'";
    selectVersions = "SELECT " + COLUMNS + " FROM " + table + " WHERE key_id = ? ORDER BY key_version";
    destroyVersion = "UPDATE " + table + " SET status = 'DESTROYED', wrapped_key = NULL"
        + " WHERE key_id = ? AND key_version = ? AND status <> 'ACTIVE'";
  }

  /**
   * Detects the database, then creates both tables unless they are already there. It probes first,
   * so that an application whose database user lacks CREATE rights still runs on existing tables.
   */
  static KeyStoreSql openTables(DataSource dataSource, String table) {
    checkTableName(table);
    try {
      return Jdbc.autoCommitted(dataSource, c -> {
        String product = c.getMetaData().getDatabaseProductName();
        SqlDialect dialect = SqlDialect.forProduct(product);
        if (dialect == SqlDialect.STANDARD) {
          LOG.warn("Branch-key store on untested database '{}': standard SQL types; its concurrency safety is"
              + " verified on H2, PostgreSQL and MariaDB only", product);
        }
        KeyStoreSql sql = new KeyStoreSql(table, dialect);
        if (Jdbc.succeeds(c, sql.probeTables)) {
          return sql;
        }
        try {
          Jdbc.execute(c, sql.createTable);
          Jdbc.execute(c, sql.createHeadTable);
        } catch (SQLException e) {
          // Another process may have created them at the same moment; the second probe tells.
          if (!Jdbc.succeeds(c, sql.probeTables)) {
            throw e;
          }
        }
        if (!Jdbc.succeeds(c, sql.probeTables)) {
          throw new SQLException("table " + table + " or " + sql.headTable + " exists without the expected columns");
        }
        return sql;
      });
    } catch (SQLException e) {
      throw KeyStoreException.failed(table, null, "opening (creating or checking) the tables " + table + " and "
          + table + HEAD_SUFFIX, e);
    }
  }

  /** Accepts a plain, unquoted SQL identifier short enough for every supported database. */
  static String checkTableName(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("key store table name must be a plain SQL identifier: a letter"
          + " or '_', then letters, digits or '_', at most " + MAX_TABLE_NAME_LENGTH
          + " characters in all (no quotes, dots or spaces), was '" + name + "'");
    }
    return name;
  }
}
