package io.rowseal.hibernate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The DDL an existing schema needs before rowseal can write to it: each encrypted column changed to the
 * type and width of its ciphertext (existing values kept as their UTF-8 text, which transition reads
 * understand), each table's footer column added, and each searchable attribute's blind-index columns with
 * their indexes — exactly the statements of {@code RS-4301} to {@code RS-4303} and {@code RS-4305},
 * written by Hibernate's dialect for the database in use, as a script for Flyway or Liquibase, or applied.
 *
 * <p>Build the session factory with {@code rowseal.column-check=warn} (or {@code off}) and
 * {@code hibernate.hbm2ddl.auto=none}, so it starts on the schema as it is. {@link SchemaCommand} does
 * that from the command line.
 */
public final class RowsealSchema {
  private RowsealSchema() {}

  /** The statements, in order; empty if the schema is ready. */
  public static List<String> statements(SessionFactory sessionFactory) {
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    StartedFactory metadata = StartedFactory.of(factory);
    if (metadata == null) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      for (ColumnCheck.Problem p : new ColumnCheck(factory, factory.getTypeConfiguration()).problems(metadata.attributes(), metadata.footers())) {
        out.addAll(p.statements());
      }
      return out;
    } catch (SQLException e) {
      throw new EncryptedMappingException("RS-4304", "cannot read the database's columns to plan the "
          + "schema change: " + e.getMessage(), e);
    }
  }

  /** The statements as a script: one per line, each ended by {@code ;}. */
  public static String script(SessionFactory sessionFactory) {
    StringBuilder sql = new StringBuilder("-- rowseal: schema for encrypted columns, row signatures and blind indexes\n");
    for (String statement : statements(sessionFactory)) {
      sql.append(statement).append(";\n");
    }
    return sql.toString();
  }

  /**
   * Runs the statements, each in its own auto-committed statement (DDL commits on MariaDB anyway).
   *
   * @return how many statements ran
   */
  public static int apply(SessionFactory sessionFactory) {
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    List<String> statements = statements(sessionFactory);
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    try {
      Connection c = connections.getConnection();
      try (Statement s = c.createStatement()) {
        for (String statement : statements) {
          s.execute(statement);
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
      } finally {
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new EncryptedMappingException("RS-4304", "a schema statement failed (" + e.getSQLState() + "): "
          + e.getMessage(), e);
    }
    return statements.size();
  }
}
