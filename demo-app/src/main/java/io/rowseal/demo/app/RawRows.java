package io.rowseal.demo.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The customer table as the database holds it, through plain JDBC: what a DBA, a backup or a replica
 * sees. Also the demo's tampering tool.
 */
final class RawRows {
  static final String TABLE = "customer";
  /** The row-signature column rowseal adds to every table with encrypted columns (docs/HIBERNATE.md, 13). */
  static final String FOOTER = "rowseal_sig";

  /**
   * One row: its plaintext columns, the stored bytes of each encrypted column and its footer.
   *
   * @param footer the row signature, {@code null} for a row written before rows were signed
   */
  record Row(long id, String name, String city, Map<EncryptedColumn, byte[]> encrypted, byte[] footer) {
    byte[] stored(EncryptedColumn column) {
      return encrypted.get(column);
    }
  }

  private RawRows() {}

  static List<Row> read(DataSource dataSource) {
    StringBuilder columns = new StringBuilder("id, name, city, " + FOOTER);
    for (EncryptedColumn c : EncryptedColumn.values()) {
      columns.append(", ").append(c.column());
    }
    String query = "select " + columns + " from " + TABLE + " order by id";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query);
        ResultSet rs = s.executeQuery()) {
      List<Row> rows = new ArrayList<>();
      while (rs.next()) {
        Map<EncryptedColumn, byte[]> stored = new EnumMap<>(EncryptedColumn.class);
        for (EncryptedColumn col : EncryptedColumn.values()) {
          stored.put(col, rs.getBytes(col.column()));
        }
        rows.add(new Row(rs.getLong("id"), rs.getString("name"), rs.getString("city"), stored,
            rs.getBytes(FOOTER)));
      }
      return rows;
    } catch (SQLException e) {
      throw new DemoException("cannot read table " + TABLE + " through JDBC: " + e.getMessage(), e);
    }
  }

  /** Overwrites one stored value, as someone with write access to the database could. */
  static void write(DataSource dataSource, long id, EncryptedColumn column, byte[] value) {
    String update = "update " + TABLE + " set " + column.column() + " = ? where id = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(update)) {
      s.setBytes(1, value);
      s.setLong(2, id);
      if (s.executeUpdate() != 1) {
        throw new DemoException("no customer with id " + id + " to change");
      }
    } catch (SQLException e) {
      throw new DemoException("cannot write " + TABLE + "." + column.column() + " of id " + id + ": "
          + e.getMessage(), e);
    }
  }
}
