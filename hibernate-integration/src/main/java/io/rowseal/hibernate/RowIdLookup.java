package io.rowseal.hibernate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.boot.model.relational.SqlStringGenerationContext;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PrimaryKey;

/**
 * Names the row of a value that failed to decrypt, for the error message: a value is read by column
 * only, without its row, but every ciphertext is unique, so looking the stored bytes up in their own
 * column finds the row exactly. Runs only on that failure path, on the session's connection; any
 * problem just leaves the id out.
 */
final class RowIdLookup {
  private static final int MAX_IDS = 3;
  private final String sql;

  private RowIdLookup(String sql) {
    this.sql = sql;
  }

  /** The lookup for {@code value}'s column, or {@code null} if its table has no primary key. */
  static RowIdLookup of(BasicValue value, Dialect dialect, SqlStringGenerationContext names) {
    PrimaryKey pk = value.getTable().getPrimaryKey();
    if (pk == null || !(value.getColumn() instanceof Column column)) {
      return null;
    }
    String key = pk.getColumns().stream().map(c -> c.getQuotedName(dialect))
        .collect(Collectors.joining(", "));
    return new RowIdLookup("select " + key + " from " + names.format(value.getTable().getQualifiedTableName())
        + " where " + column.getQuotedName(dialect) + " = ?");
  }

  /** The ids of the rows holding exactly this stored value (bytes or text), or {@code null}. */
  String find(SharedSessionContractImplementor session, Object stored) {
    try {
      Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        if (stored instanceof byte[] bytes) {
          ps.setBytes(1, bytes);
        } else {
          ps.setString(1, (String) stored);
        }
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next() && ids.size() < MAX_IDS) {
            List<String> parts = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
              parts.add(String.valueOf(rs.getObject(i)));
            }
            ids.add(String.join(",", parts));
          }
        }
        return ids.isEmpty() ? null : String.join(" / ", ids);
      }
    } catch (Exception e) {
      return null;
    }
  }
}
