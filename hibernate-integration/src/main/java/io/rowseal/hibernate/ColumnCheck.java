package io.rowseal.hibernate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.relational.QualifiedTableName;
import org.hibernate.dialect.H2Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.Size;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Property;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, after any schema export, reads each encrypted column's and each row-footer column's type
 * and width from the JDBC metadata and compares them with what its values need. A column that is too
 * narrow, or of the wrong kind, fails the start ({@code RS-4301}, {@code RS-4302}) with the exact DDL
 * that fixes it on the database in use, written by Hibernate's dialect; so does an existing table that
 * lacks its footer column ({@code RS-4303}) or a blind-index column or its database index ({@code RS-4305}).
 * Other missing columns, and missing tables, are left to Hibernate's schema management.
 */
final class ColumnCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ColumnCheck.class);
  private static final Set<Integer> BINARY = Set.of(Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);
  private static final Set<Integer> TEXT = Set.of(Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR,
      Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB);

  private final SessionFactoryImplementor factory;

  private final org.hibernate.type.spi.TypeConfiguration types;

  /**
   * @param types the boot model's type configuration: during integration, before the factory's runtime
   *     metamodel exists (Hibernate 6.6 cannot give its own then), the factory has none to offer
   */
  ColumnCheck(SessionFactoryImplementor factory, org.hibernate.type.spi.TypeConfiguration types) {
    this.factory = factory;
    this.types = types;
  }

  /** One column that cannot hold what rowseal writes: its code, the message, and the DDL that fixes it. */
  record Problem(String code, String message, List<String> statements) {
    @Override
    public String toString() {
      return code + ": " + message + String.join("; ", statements);
    }
  }

  void run(List<EncryptedMappings.Found> attributes, List<RowSignatures.Footer> footers,
      RowsealSettings.ColumnCheckMode mode) {
    if (mode == RowsealSettings.ColumnCheckMode.OFF || attributes.isEmpty()) {
      return;
    }
    List<Problem> problems;
    try {
      problems = problems(attributes, footers);
    } catch (SQLException e) {
      LOG.warn("rowseal could not read the JDBC metadata to check encrypted columns: {}", e.toString());
      return;
    }
    if (problems.isEmpty()) {
      return;
    }
    if (mode == RowsealSettings.ColumnCheckMode.WARN) {
      problems.forEach(p -> LOG.warn("{}", p));
    } else {
      // The first problem's code leads; every problem is listed, each with its own code.
      String all = String.join("\n", problems.stream().map(Problem::toString).toList());
      throw new EncryptedMappingException(problems.get(0).code(),
          all.substring(problems.get(0).code().length() + 2));
    }
  }

  /** Every encrypted and footer column that cannot hold what rowseal writes, with the DDL that fixes it. */
  List<Problem> problems(List<EncryptedMappings.Found> attributes, List<RowSignatures.Footer> footers)
      throws SQLException {
    List<Problem> problems = new ArrayList<>();
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    Connection c = connections.getConnection();
    try {
      for (EncryptedMappings.Found f : attributes) {
        EncryptedAttribute a = f.jdbcType().attribute();
        add(problems, check(c, new Target(f.value(), a.toString(), a.width(), f.jdbcType().form(),
            a.branchKeyId(), false)));
      }
      for (RowSignatures.Footer footer : footers) {
        add(problems, check(c, new Target(footer.value(), "the row signature of " + footer.entity(),
            footer.width(), StorageForm.BINARY, footer.branchKeyId(), true)));
      }
      Map<String, List<IndexInfo>> indexes = new HashMap<>();
      for (EncryptedMappings.Found f : attributes) {
        SearchIndex index = f.jdbcType().search();
        for (int purpose = 0; index != null && purpose <= index.prefix(); purpose++) {
          Property p = f.entity().getProperty((purpose == 0 ? SearchMappings.EQUALITY
              : SearchMappings.PREFIX + purpose + "_") + f.path());
          add(problems, checkIndex(c, (BasicValue) p.getValue(), index, purpose, indexes));
        }
      }
    } finally {
      connections.closeConnection(c);
    }
    return problems;
  }

  private static void add(List<Problem> problems, Problem problem) {
    if (problem != null) {
      problems.add(problem);
    }
  }

  /**
   * A column to check: its value, how messages name it, the width its values need, their form and
   * branch-key id, whether its absence from an existing table is a problem, the code of that problem and
   * the statements that follow the one adding the column (its index).
   */
  private record Target(BasicValue value, String label, int width, StorageForm form, String branchKeyId,
      boolean required, String missingCode, List<String> extra) {
    Target(BasicValue value, String label, int width, StorageForm form, String branchKeyId, boolean required) {
      this(value, label, width, form, branchKeyId, required, "RS-4303", List.of());
    }
  }

  /** One database index of a table: its columns in order, and whether it is unique. */
  private record IndexInfo(String name, List<String> columns, boolean unique) {}

  /**
   * A blind-index column of {@code purpose}: missing from an existing table ({@code RS-4305}, with the DDL
   * that adds it and its index), too narrow or of the wrong kind ({@code RS-4301}/{@code RS-4302}), or
   * without the database index (unique key for a unique index) that makes its lookups cheap
   * ({@code RS-4305}).
   */
  private Problem checkIndex(Connection c, BasicValue value, SearchIndex index, int purpose,
      Map<String, List<IndexInfo>> indexes) throws SQLException {
    Column column = (Column) value.getColumn();
    String table = value.getTable().getName();
    boolean unique = purpose == 0 && index.unique();
    String keyName = SearchMappings.indexName(table, column.getName(), unique ? "uk" : "ix");
    String createIndex = createIndex(value, column, keyName, unique);
    String label = (purpose == 0 ? "the blind index" : "the " + purpose + "-character prefix index") + " of "
        + index.attribute();
    Problem columnProblem = check(c, new Target(value, label, index.tagLength(purpose), StorageForm.BINARY,
        index.attribute().branchKeyId(), true, "RS-4305", List.of(createIndex)));
    if (columnProblem != null) {
      return columnProblem;
    }
    MetaTable m = metaTable(c, value);
    if (!hasColumn(c.getMetaData(), m, metaColumn(column))) {
      return null; // no table: Hibernate's schema management creates it
    }
    List<IndexInfo> found = indexes.get(m.toString());
    if (found == null) {
      found = indexes(c.getMetaData(), m);
      indexes.put(m.toString(), found);
    }
    String want = metaColumn(column);
    for (IndexInfo i : found) {
      boolean covers = unique ? i.unique() && i.columns().size() == 1 && i.columns().get(0).equalsIgnoreCase(want)
          : !i.columns().isEmpty() && i.columns().get(0).equalsIgnoreCase(want);
      if (covers) {
        return null;
      }
    }
    return new Problem("RS-4305", "column " + table + "." + column.getName() + " of " + label + " has no "
        + (unique ? "unique key" : "database index") + ", so " + (unique ? "duplicates are not refused and " : "")
        + "every search reads the whole table; add it with: ", List.of(createIndex));
  }

  private static boolean hasColumn(DatabaseMetaData meta, MetaTable m, String column) throws SQLException {
    try (ResultSet rs = meta.getColumns(m.catalog(), m.schema(), m.table(), column)) {
      return rs.next();
    }
  }

  private static List<IndexInfo> indexes(DatabaseMetaData meta, MetaTable m) throws SQLException {
    Map<String, IndexInfo> byName = new LinkedHashMap<>();
    Map<String, TreeMap<Integer, String>> columns = new HashMap<>();
    try (ResultSet rs = meta.getIndexInfo(m.catalog(), m.schema(), m.table(), false, true)) {
      while (rs.next()) {
        String name = rs.getString("INDEX_NAME");
        String column = rs.getString("COLUMN_NAME");
        if (name == null || column == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
          continue;
        }
        byName.putIfAbsent(name, new IndexInfo(name, new ArrayList<>(), !rs.getBoolean("NON_UNIQUE")));
        columns.computeIfAbsent(name, n -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"), column);
      }
    }
    List<IndexInfo> out = new ArrayList<>();
    byName.forEach((name, i) -> out.add(new IndexInfo(name, List.copyOf(columns.get(name).values()), i.unique())));
    return out;
  }

  /**
   * The statement that gives a blind-index column its index, as Hibernate's schema export names it:
   * {@code create index}, or for a unique index a unique constraint.
   */
  private String createIndex(BasicValue value, Column column, String keyName, boolean unique) {
    var dialect = factory.getJdbcServices().getDialect();
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    String quoted = column.getQuotedName(dialect);
    return unique
        ? dialect.getAlterTableString(table) + " add constraint " + keyName + " unique (" + quoted + ")"
        : "create index " + keyName + " on " + table + " (" + quoted + ")";
  }

  /** A table as the JDBC metadata names it. */
  private record MetaTable(String catalog, String schema, String table) {}

  private MetaTable metaTable(Connection c, BasicValue value) throws SQLException {
    QualifiedTableName name = value.getTable().getQualifiedTableName();
    var names = factory.getSqlStringGenerationContext();
    var ids = factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper();
    Identifier catalog = names.catalogWithDefault(name.getCatalogName());
    Identifier schema = names.schemaWithDefault(name.getSchemaName());
    return new MetaTable(catalog == null ? c.getCatalog() : ids.toMetaDataCatalogName(catalog),
        schema == null ? c.getSchema() : ids.toMetaDataSchemaName(schema), ids.toMetaDataObjectName(name.getTableName()));
  }

  private String metaColumn(Column column) {
    return factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper()
        .toMetaDataObjectName(Identifier.toIdentifier(column.getName(), column.isQuoted()));
  }

  private Problem check(Connection c, Target t) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    BasicValue value = t.value();
    MetaTable m = metaTable(c, value);
    Column column = (Column) value.getColumn();
    String table = value.getTable().getName();
    try (ResultSet rs = meta.getColumns(m.catalog(), m.schema(), m.table(), metaColumn(column))) {
      if (!rs.next()) {
        if (t.required() && tableExists(meta, m.catalog(), m.schema(), m.table())) {
          List<String> statements = new ArrayList<>(List.of(add(value, column, t.width())));
          statements.addAll(t.extra());
          return new Problem(t.missingCode(), "table " + table + " has no column " + column.getName() + " for "
              + t.label() + " (" + t.width() + " bytes); add it with: ", statements);
        }
        LOG.debug("rowseal found no column {}.{} to check", table, column.getName());
        return null;
      }
      int type = rs.getInt("DATA_TYPE");
      String typeName = rs.getString("TYPE_NAME");
      long size = rs.getLong("COLUMN_SIZE");
      boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
      boolean rightKind = t.form() == StorageForm.BINARY
          ? BINARY.contains(type) || "bytea".equalsIgnoreCase(typeName)
          : TEXT.contains(type);
      String found = typeName.toLowerCase(Locale.ROOT) + "(" + size + ")";
      String unit = t.form() == StorageForm.BINARY ? "bytes" : "characters";
      String where = "column " + table + "." + column.getName() + " of " + t.label();
      if (!rightKind) {
        return new Problem("RS-4302", where + " is " + found + ", which cannot hold rowseal's "
            + t.form().name().toLowerCase(Locale.ROOT) + " values (" + t.width() + " " + unit
            + "); change it with: ", alter(value, column, t.width(), nullable,
            t.form() == StorageForm.BINARY, TEXT.contains(type)));
      }
      if (size < t.width()) {
        String what = !t.required() ? "encrypted values" : t.missingCode().equals("RS-4305") ? "index tags"
            : "row signatures";
        return new Problem("RS-4301", where + " is " + found + " but its " + what + " need " + t.width() + " "
            + unit + " (branch key '" + t.branchKeyId() + "'); widen it with: ",
            alter(value, column, t.width(), nullable, false, true));
      }
      return null;
    }
  }

  private static boolean tableExists(DatabaseMetaData meta, String catalog, String schema, String table)
      throws SQLException {
    try (ResultSet rs = meta.getTables(catalog, schema, table, null)) {
      return rs.next();
    }
  }

  /** The dialect's column type for {@code value} at {@code width}. */
  private String type(BasicValue value, int width) {
    return types.getDdlTypeRegistry()
        .getTypeName(value.getResolution().getJdbcType().getDdlTypeCode(), Size.length(width));
  }

  /**
   * The dialect's statements that give the column the type and width the values need; {@code toBinary}:
   * the column holds text or numbers and becomes binary, {@code fromText}: it holds text now. Existing
   * values keep their plaintext as UTF-8 text bytes, which transition reads understand.
   */
  private List<String> alter(BasicValue value, Column column, int width, boolean nullable, boolean toBinary,
      boolean fromText) {
    var dialect = factory.getJdbcServices().getDialect();
    String type = type(value, width);
    String quoted = column.getQuotedName(dialect);
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    String statement = dialect.getAlterTableString(table) + " " + change(dialect, quoted, type, nullable);
    if (toBinary && dialect instanceof PostgreSQLDialect) {
      // PostgreSQL casts neither text nor numbers to bytea by itself ("cannot be cast automatically"):
      // without USING the statement fails, empty table or not. Keep each value as its UTF-8 text bytes.
      return List.of(statement + " using convert_to(" + quoted + "::text, 'UTF8')");
    }
    if (toBinary && !fromText && dialect instanceof H2Dialect) {
      // H2 turns a number or a date into its binary form, not its text: go through text first.
      String text = types.getDdlTypeRegistry()
          .getTypeName(Types.VARCHAR, Size.length(Math.max(width, 64)));
      return List.of(dialect.getAlterTableString(table) + " " + change(dialect, quoted, text, nullable), statement);
    }
    return List.of(statement);
  }

  private static String change(org.hibernate.dialect.Dialect dialect, String quoted, String type, boolean nullable) {
    String change = dialect.getAlterColumnTypeString(quoted, type, type + (nullable ? "" : " not null"));
    return change != null ? change : "alter column " + quoted + " type " + type;
  }

  /** The dialect's statement that adds the (nullable) column. */
  private String add(BasicValue value, Column column, int width) {
    var dialect = factory.getJdbcServices().getDialect();
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    return dialect.getAlterTableString(table) + " " + dialect.getAddColumnString() + " "
        + column.getQuotedName(dialect) + " " + type(value, width) + dialect.getAddColumnSuffixString();
  }
}
