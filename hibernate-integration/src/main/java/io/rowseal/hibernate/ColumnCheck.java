package io.rowseal.hibernate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.relational.QualifiedTableName;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.Size;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, after any schema export, reads each encrypted column's and each row-footer column's type
 * and width from the JDBC metadata and compares them with what its values need. A column that is too
 * narrow, or of the wrong kind, fails the start ({@code RS-4301}, {@code RS-4302}) with the exact DDL
 * that fixes it on the database in use, written by Hibernate's dialect; so does an existing table that
 * lacks its footer column ({@code RS-4303}). Other missing columns, and missing tables, are left to
 * Hibernate's schema management.
 */
final class ColumnCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ColumnCheck.class);
  private static final Set<Integer> BINARY = Set.of(Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);
  private static final Set<Integer> TEXT = Set.of(Types.VARCHAR, Types.LONGVARCHAR, Types.NVARCHAR,
      Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB);

  private final SessionFactoryImplementor factory;

  ColumnCheck(SessionFactoryImplementor factory) {
    this.factory = factory;
  }

  void run(List<EncryptedMappings.Found> attributes, List<RowSignatures.Footer> footers,
      RowsealSettings.ColumnCheckMode mode) {
    if (mode == RowsealSettings.ColumnCheckMode.OFF || attributes.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    try {
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
      } finally {
        connections.closeConnection(c);
      }
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
      String first = problems.get(0);
      throw new EncryptedMappingException(first.substring(0, first.indexOf(':')),
          String.join("\n", problems).substring(first.indexOf(':') + 2));
    }
  }

  private static void add(List<String> problems, String problem) {
    if (problem != null) {
      problems.add(problem);
    }
  }

  /**
   * A column to check: its value, how messages name it, the width its values need, their form and
   * branch-key id, and whether its absence from an existing table is a problem.
   */
  private record Target(BasicValue value, String label, int width, StorageForm form, String branchKeyId,
      boolean required) {}

  private String check(Connection c, Target t) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    BasicValue value = t.value();
    QualifiedTableName name = value.getTable().getQualifiedTableName();
    var names = factory.getSqlStringGenerationContext();
    var ids = factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper();
    Identifier catalog = names.catalogWithDefault(name.getCatalogName());
    Identifier schema = names.schemaWithDefault(name.getSchemaName());
    String catalogName = catalog == null ? c.getCatalog() : ids.toMetaDataCatalogName(catalog);
    String schemaName = schema == null ? c.getSchema() : ids.toMetaDataSchemaName(schema);
    String tableName = ids.toMetaDataObjectName(name.getTableName());
    Column column = (Column) value.getColumn();
    String table = value.getTable().getName();
    try (ResultSet rs = meta.getColumns(catalogName, schemaName, tableName,
        ids.toMetaDataObjectName(Identifier.toIdentifier(column.getName(), column.isQuoted())))) {
      if (!rs.next()) {
        if (t.required() && tableExists(meta, catalogName, schemaName, tableName)) {
          return "RS-4303: table " + table + " has no column " + column.getName() + " for " + t.label()
              + " (" + t.width() + " bytes); add it with: " + add(value, column, t.width());
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
        return "RS-4302: " + where + " is " + found + ", which cannot hold rowseal's "
            + t.form().name().toLowerCase(Locale.ROOT) + " values (" + t.width() + " " + unit
            + "); change it with: " + alter(value, column, t.width(), nullable, t.form() == StorageForm.BINARY);
      }
      if (size < t.width()) {
        String what = t.required() ? "row signatures" : "encrypted values";
        return "RS-4301: " + where + " is " + found + " but its " + what + " need " + t.width() + " " + unit
            + " (branch key '" + t.branchKeyId() + "'); widen it with: " + alter(value, column, t.width(), nullable, false);
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
    return factory.getTypeConfiguration().getDdlTypeRegistry()
        .getTypeName(value.getResolution().getJdbcType().getDdlTypeCode(), Size.length(width));
  }

  /**
   * The dialect's statement that gives the column the type and width the values need; {@code toBinary}:
   * the column holds text or numbers and becomes binary.
   */
  private String alter(BasicValue value, Column column, int width, boolean nullable, boolean toBinary) {
    var dialect = factory.getJdbcServices().getDialect();
    String type = type(value, width);
    String quoted = column.getQuotedName(dialect);
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    String change = dialect.getAlterColumnTypeString(quoted, type, type + (nullable ? "" : " not null"));
    if (change == null) {
      change = "alter column " + quoted + " type " + type;
    }
    String statement = dialect.getAlterTableString(table) + " " + change;
    if (toBinary && dialect instanceof PostgreSQLDialect) {
      // PostgreSQL casts neither text nor numbers to bytea by itself ("cannot be cast automatically"):
      // without USING the statement fails, empty table or not. Keep each value as its UTF-8 text bytes.
      statement += " using convert_to(" + quoted + "::text, 'UTF8')";
    }
    return statement;
  }

  /** The dialect's statement that adds the (nullable) column. */
  private String add(BasicValue value, Column column, int width) {
    var dialect = factory.getJdbcServices().getDialect();
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    return dialect.getAlterTableString(table) + " " + dialect.getAddColumnString() + " "
        + column.getQuotedName(dialect) + " " + type(value, width) + dialect.getAddColumnSuffixString();
  }
}
