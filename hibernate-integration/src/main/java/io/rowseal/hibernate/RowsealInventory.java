package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.keystore.BranchKeyRef;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.SessionFactory;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;

/**
 * Which keys the rows of a database are under: for every table with encrypted columns, how many rows sit
 * under each branch-key version (with its status and the CMK that wraps it), how many still hold legacy
 * plaintext, and how many hold no encrypted value — so a user knows what a rotation must rewrite and
 * exactly what destroying a version or a CMK will make unreadable. Reads stored headers only (key
 * references are not secret): no key is unwrapped and nothing is decrypted. One full scan per table.
 */
public final class RowsealInventory {
  /** Rows written before rowseal, whose encrypted columns still hold plaintext. */
  public static final String LEGACY = "legacy plaintext";
  /** Rows whose encrypted columns are all {@code NULL}. */
  public static final String NONE = "no encrypted value";

  /**
   * One group of rows.
   *
   * @param table the table, as the dialect names it
   * @param keys {@code keyId#version}, or {@link #LEGACY}, or {@link #NONE}
   * @param status the version's status in the key store (ACTIVE, …; {@code null} for the other groups or a
   *     version the store does not hold)
   * @param cmkId the CMK that wraps the version ({@code null} likewise)
   * @param rows how many rows
   */
  public record Entry(String table, String keys, String status, String cmkId, long rows) {}

  private RowsealInventory() {}

  public static List<Entry> of(SessionFactory sessionFactory) {
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    StartedFactory started = StartedFactory.of(factory);
    if (started == null) {
      return List.of();
    }
    Map<String, BranchKeyRecord> versions = new TreeMap<>();
    java.util.Set<String> keyIds = new java.util.HashSet<>();
    Dialect dialect = factory.getJdbcServices().getDialect();
    Map<String, List<String>> columns = new LinkedHashMap<>();
    for (EncryptedMappings.Found f : started.attributes()) {
      add(columns, factory, f.value(), dialect);
    }
    for (RowSignatures.Footer footer : started.footers()) {
      add(columns, factory, footer.value(), dialect);
    }
    List<Entry> out = new ArrayList<>();
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    try {
      Connection c = connections.getConnection();
      try (Statement s = c.createStatement()) {
        for (var table : columns.entrySet()) {
          Map<String, Long> counts = new TreeMap<>();
          try (ResultSet rs = s.executeQuery("select " + String.join(", ", table.getValue()) + " from "
              + table.getKey())) {
            while (rs.next()) {
              counts.merge(group(rs, table.getValue().size()), 1L, Long::sum);
            }
          }
          counts.forEach((keys, n) -> {
            int hash = keys.lastIndexOf('#');
            if (hash > 0 && keyIds.add(keys.substring(0, hash))) {
              for (BranchKeyRecord v : started.rowWrites().envelope().branchKeyVersions(keys.substring(0, hash))) {
                versions.put(v.ref().toString(), v);
              }
            }
            BranchKeyRecord r = versions.get(keys);
            out.add(new Entry(table.getKey(), keys, r == null ? null : r.status().name(),
                r == null ? null : r.cmkId(), n));
          });
        }
      } finally {
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new EncryptedMappingException("RS-4304", "cannot read the encrypted tables for the key "
          + "inventory: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The transition-read counter: legacy plaintext values read from encrypted columns since this session
   * factory started, per entity name (empty when none were, or transition reads are off). A value that
   * keeps growing after the migration job ran means rows the job has not reached (or plaintext written
   * into the table by something other than the application). Cheap: read it from a health check or a
   * metrics gauge.
   */
  public static Map<String, Long> transitionReads(SessionFactory sessionFactory) {
    LegacyPlaintext legacy = LegacyPlaintext.of(sessionFactory.unwrap(
        org.hibernate.engine.spi.SessionFactoryImplementor.class));
    return legacy == null ? Map.of() : legacy.reads();
  }

  /** The inventory as a table for people. */
  public static String report(SessionFactory sessionFactory) {
    StringBuilder out = new StringBuilder(String.format("%-32s %-28s %-10s %-24s %12s%n", "table", "keys",
        "status", "cmk", "rows"));
    for (Entry e : of(sessionFactory)) {
      out.append(String.format("%-32s %-28s %-10s %-24s %12d%n", e.table(), e.keys(),
          e.status() == null ? "" : e.status(), e.cmkId() == null ? "" : e.cmkId(), e.rows()));
    }
    return out.toString();
  }

  private static void add(Map<String, List<String>> columns, SessionFactoryImplementor factory, BasicValue value,
      Dialect dialect) {
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    String column = ((Column) value.getColumn()).getQuotedName(dialect);
    List<String> list = columns.computeIfAbsent(table, t -> new ArrayList<>());
    if (!list.contains(column)) {
      list.add(column);
    }
  }

  /** The row's group: the key of its first column that names one, else legacy or none. */
  private static String group(ResultSet rs, int n) throws SQLException {
    boolean any = false;
    for (int i = 1; i <= n; i++) {
      byte[] stored = bytes(rs.getObject(i));
      if (stored != null) {
        any = true;
        BranchKeyRef ref = Envelope.branchKeyOf(stored);
        if (ref != null) {
          return ref.keyId() + "#" + ref.version();
        }
      }
    }
    return any ? LEGACY : NONE;
  }

  private static byte[] bytes(Object column) throws SQLException {
    if (column instanceof byte[] b) {
      return b;
    }
    if (column instanceof Blob blob) {
      return blob.getBytes(1, (int) blob.length());
    }
    if (column instanceof String text) {
      try {
        return Envelope.isText(text) ? Envelope.fromText(text) : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } catch (IntegrityException e) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return column == null ? null : column.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
