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
import org.hibernate.engine.jdbc.Size;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, after any schema export, reads each encrypted column's type and width from the JDBC
 * metadata and compares them with what its values need. A column that is too narrow, or of the wrong
 * kind, fails the start ({@code RS-4301}, {@code RS-4302}) with the exact DDL that fixes it on the
 * database in use, written by Hibernate's dialect. Columns or tables that do not exist are left to
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

  void run(List<EncryptedMappings.Found> attributes, RowsealSettings.ColumnCheckMode mode) {
    if (mode == RowsealSettings.ColumnCheckMode.OFF || attributes.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    try {
      Connection c = connections.getConnection();
      try {
        for (EncryptedMappings.Found f : attributes) {
          String problem = check(c.getMetaData(), c, f);
          if (problem != null) {
            problems.add(problem);
          }
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

  private String check(DatabaseMetaData meta, Connection c, EncryptedMappings.Found f) throws SQLException {
    EncryptedJdbcType jdbcType = f.converter().jdbcType();
    EncryptedAttribute a = jdbcType.attribute();
    BasicValue value = f.value();
    QualifiedTableName name = value.getTable().getQualifiedTableName();
    var names = factory.getSqlStringGenerationContext();
    var ids = factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper();
    Identifier catalog = names.catalogWithDefault(name.getCatalogName());
    Identifier schema = names.schemaWithDefault(name.getSchemaName());
    Column column = (Column) value.getColumn();
    try (ResultSet rs = meta.getColumns(
        catalog == null ? c.getCatalog() : ids.toMetaDataCatalogName(catalog),
        schema == null ? c.getSchema() : ids.toMetaDataSchemaName(schema),
        ids.toMetaDataObjectName(name.getTableName()),
        ids.toMetaDataObjectName(Identifier.toIdentifier(column.getName(), column.isQuoted())))) {
      if (!rs.next()) {
        LOG.debug("rowseal found no column {}.{} to check", a.table(), a.column());
        return null;
      }
      int type = rs.getInt("DATA_TYPE");
      String typeName = rs.getString("TYPE_NAME");
      long size = rs.getLong("COLUMN_SIZE");
      boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
      StorageForm form = jdbcType.form();
      boolean rightKind = form == StorageForm.BINARY
          ? BINARY.contains(type) || "bytea".equalsIgnoreCase(typeName)
          : TEXT.contains(type);
      String found = typeName.toLowerCase(Locale.ROOT) + "(" + size + ")";
      String unit = form == StorageForm.BINARY ? "bytes" : "characters";
      if (!rightKind) {
        return "RS-4302: column " + a.table() + "." + a.column() + " of " + a + " is " + found
            + ", which cannot hold rowseal's " + form.name().toLowerCase(Locale.ROOT) + " values ("
            + a.width() + " " + unit + "); change it with: " + alter(value, column, a, nullable);
      }
      if (size < a.width()) {
        return "RS-4301: column " + a.table() + "." + a.column() + " of " + a + " is " + found
            + " but its encrypted values need " + a.width() + " " + unit + " (branch key '"
            + a.branchKeyId() + "'); widen it with: " + alter(value, column, a, nullable);
      }
      return null;
    }
  }

  /** The dialect's statement that gives the column the type and width the values need. */
  private String alter(BasicValue value, Column column, EncryptedAttribute a, boolean nullable) {
    var dialect = factory.getJdbcServices().getDialect();
    String type = factory.getTypeConfiguration().getDdlTypeRegistry()
        .getTypeName(value.getResolution().getJdbcType().getDdlTypeCode(), Size.length(a.width()));
    String quoted = column.getQuotedName(dialect);
    String table = factory.getSqlStringGenerationContext().format(value.getTable().getQualifiedTableName());
    String change = dialect.getAlterColumnTypeString(quoted, type, type + (nullable ? "" : " not null"));
    if (change == null) {
      change = "alter column " + quoted + " type " + type;
    }
    return dialect.getAlterTableString(table) + " " + change;
  }
}
