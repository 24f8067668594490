package io.rowseal.kms.local;

import io.rowseal.kms.KmsException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DDL of LocalKms's four tables (see {@link KmsTables}). Each table, and each column a later release
 * added, is looked up in the JDBC metadata first and created only when absent, so an application whose
 * database user may not run DDL starts on tables made for it; when one is missing and cannot be made,
 * {@code RS-2019} names the statements still to run, in order.
 */
final class KmsSchema {
  private final String prefix;
  private final String hsm;
  private final String edt;
  private final String cmk;
  private final String ekt;

  KmsSchema(String prefix, String hsm, String edt, String cmk, String ekt) {
    this.prefix = prefix;
    this.hsm = hsm;
    this.edt = edt;
    this.cmk = cmk;
    this.ekt = ekt;
  }

  void createMissing(Connection c) throws SQLException {
    String bin = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
        ? "BYTEA" : "VARBINARY(%d)";
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put(hsm, "CREATE TABLE " + hsm + " (hsm_index INTEGER NOT NULL PRIMARY KEY, "
        + "public_key " + bin.formatted(512) + " NOT NULL, created_at BIGINT NOT NULL)");
    tables.put(edt, "CREATE TABLE " + edt + " (generation BIGINT NOT NULL PRIMARY KEY, "
        + "edt " + bin.formatted(16384) + " NOT NULL, created_at BIGINT NOT NULL)");
    tables.put(cmk, "CREATE TABLE " + cmk + " (cmk_id VARCHAR(64) NOT NULL PRIMARY KEY, "
        + "description VARCHAR(1024) NOT NULL, state VARCHAR(20) NOT NULL, "
        + "created_at BIGINT NOT NULL, deletion_date BIGINT, state_mac " + bin.formatted(64)
        + ", mac_generation BIGINT)");
    tables.put(ekt, "CREATE TABLE " + ekt + " (cmk_id VARCHAR(64) NOT NULL, "
        + "cmk_version INTEGER NOT NULL, dk_generation BIGINT NOT NULL, ekt "
        + bin.formatted(256) + " NOT NULL, created_at BIGINT NOT NULL, "
        + "PRIMARY KEY (cmk_id, cmk_version))");
    List<String> missing = new ArrayList<>();
    for (var t : tables.entrySet()) {
      if (!exists(c, t.getKey(), null)) {
        missing.add(t.getValue());
      }
    }
    // Columns added after the first release: a table made by an older rowseal lacks them.
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("state_mac", "ALTER TABLE " + cmk + " ADD COLUMN state_mac " + bin.formatted(64));
    columns.put("mac_generation", "ALTER TABLE " + cmk + " ADD COLUMN mac_generation BIGINT");
    if (!missing.contains(tables.get(cmk))) {
      for (var col : columns.entrySet()) {
        if (!exists(c, cmk, col.getKey())) {
          missing.add(col.getValue());
        }
      }
    }
    for (int i = 0; i < missing.size(); i++) {
      try (Statement s = c.createStatement()) {
        s.execute(missing.get(i));
      } catch (SQLException e) {
        if (madeMeanwhile(c, missing.get(i))) {
          continue; // another process sharing the tables, starting at the same moment, made it
        }
        throw new KmsException("RS-2019", "LocalKms could not change the schema of tables " + prefix
            + "* (SQLState " + e.getSQLState() + ": " + e.getMessage() + "); if its database user may "
            + "not run DDL, have these statements run for it: "
            + String.join("; ", missing.subList(i, missing.size())), e);
      }
    }
  }

  /** Whether the table or column that {@code ddl} makes exists now. */
  private boolean madeMeanwhile(Connection c, String ddl) throws SQLException {
    if (!c.getAutoCommit()) {
      return false;
    }
    for (String table : List.of(hsm, edt, cmk, ekt)) {
      if (ddl.startsWith("CREATE TABLE " + table + " ")) {
        return exists(c, table, null);
      }
      for (String column : List.of("state_mac", "mac_generation")) {
        if (ddl.startsWith("ALTER TABLE " + table + " ADD COLUMN " + column + " ")) {
          return exists(c, table, column);
        }
      }
    }
    return false;
  }

  /** Whether {@code table} (with {@code column}, unless null) exists in the connection's current schema. */
  private static boolean exists(Connection c, String table, String column) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String stored = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT)
        : meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
    String schema = c.getSchema();
    // '_' is a pattern wildcard here, so every hit is compared by name as well.
    try (ResultSet rs = column == null
        ? meta.getTables(c.getCatalog(), null, stored, new String[] {"TABLE"})
        : meta.getColumns(c.getCatalog(), null, stored, null)) {
      while (rs.next()) {
        String s = rs.getString("TABLE_SCHEM");
        if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)
            && (s == null || schema == null || s.equalsIgnoreCase(schema))
            && (column == null || rs.getString("COLUMN_NAME").equalsIgnoreCase(column))) {
          return true;
        }
      }
      return false;
    }
  }
}
