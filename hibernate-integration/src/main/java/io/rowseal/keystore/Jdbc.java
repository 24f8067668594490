package io.rowseal.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The little JDBC plumbing the key store needs: statements with parameters, and transactions. */
final class Jdbc {
  private Jdbc() {}

  /** A piece of work that talks to the database. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /** Work on a connection. */
  @FunctionalInterface
  interface ConnectionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode, whatever the pool's default: each
   * statement is then its own transaction, so no snapshot or lock outlives it.
   */
  static <T> T autoCommitted(DataSource dataSource, ConnectionWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.setAutoCommit(true);
      }
      try {
        return work.run(c);
      } finally {
        if (!autoCommit) {
          restoreAutoCommit(c, false);
        }
      }
    }
  }

  /** Work inside one transaction; an empty result means "roll back", a value means "commit". */
  @FunctionalInterface
  interface TransactionWork<T> {
    Optional<T> run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own on a fresh connection. It commits when the work
   * returns a value and rolls back when it returns empty or throws.
   */
  static <T> Optional<T> inTransaction(DataSource dataSource, TransactionWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Optional<T> result = work.run(c);
        if (result.isPresent()) {
          c.commit();
        } else {
          c.rollback();
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        restoreAutoCommit(c, autoCommit);
      }
    }
  }

  /** Hands the connection back as the pool lent it, without hiding the failure that got us here. */
  private static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // The connection is broken: the pool evicts it, and the caller already sees the real failure.
    }
  }

  /** Executes an INSERT, UPDATE or DDL statement and returns the number of rows it changed. */
  static int execute(Connection c, String statement, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, statement, params)) {
      return ps.executeUpdate();
    }
  }

  /** Whether a query runs without error; used to probe for a table without vendor catalog queries. */
  static boolean succeeds(Connection c, String query) {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.executeQuery().close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  static PreparedStatement prepare(Connection c, String statement, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(statement);
    try {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        if (p instanceof byte[] bytes) {
          ps.setBytes(i + 1, bytes);
        } else if (p instanceof Integer n) {
          ps.setInt(i + 1, n);
        } else if (p instanceof Long n) {
          ps.setLong(i + 1, n);
        } else {
          ps.setString(i + 1, (String) p);
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /**
   * Whether a failure means "a concurrent writer got there first", worth another attempt: class 23
   * is a unique key taken first, class 40 a serialization failure or deadlock.
   */
  static boolean isConflict(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("23") || state.startsWith("40"));
  }
}
