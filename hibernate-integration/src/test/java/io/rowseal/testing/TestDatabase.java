package io.rowseal.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases every storage test runs on: H2 (in-memory, always there), PostgreSQL and MariaDB on
 * the local machine. Where a server is absent the test is skipped with a message, except under
 * {@code CI=true}, where an absent server is a failure.
 *
 * <p>Use as a {@code @ParameterizedTest} source: {@code @EnumSource(TestDatabase.class)}.
 */
public enum TestDatabase {
  H2(null, "sa", ""),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "");

  private final String url;
  private final String user;
  private final String password;

  TestDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** JDBC URL; for H2 a fresh private in-memory database per call. */
  public String url() {
    return url != null ? url : "jdbc:h2:mem:rs" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /**
   * A pooled DataSource on this database, after checking the server answers (skip or, under CI,
   * fail). The caller closes it.
   */
  public HikariDataSource dataSource() {
    String jdbcUrl = url();
    requireAvailable(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(12);
    config.setPoolName("test-" + name().toLowerCase());
    return new HikariDataSource(config);
  }

  /** Skips the calling test if the server is absent, or fails it under {@code CI=true}. */
  public void requireAvailable() {
    requireAvailable(url());
  }

  private void requireAvailable(String jdbcUrl) {
    if (this == H2) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    // PostgreSQL's driver reads connectTimeout in seconds, MariaDB's in milliseconds: "3" there
    // made a busy but running server look absent, and its tests were silently skipped.
    p.setProperty("connectTimeout", this == MARIADB ? "3000" : "3");
    try (Connection c = DriverManager.getConnection(jdbcUrl, p)) {
      c.isValid(3);
    } catch (SQLException e) {
      String message = name() + " is not reachable at " + jdbcUrl + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + "; under CI=true an absent database is a failure", e);
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
  }

  /**
   * Drops every table whose name contains {@code fragment} (a test run's unique suffix), on any database,
   * for tests whose tables were made by other JVMs.
   */
  public static void dropTablesNamedWith(javax.sql.DataSource dataSource, String fragment) throws SQLException {
    try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      // JDBC metadata, not pg_tables: the same on PostgreSQL, MariaDB and H2 (names as the database stores them).
      for (String pattern : new String[] {"%" + fragment + "%", "%" + fragment.toUpperCase(java.util.Locale.ROOT) + "%"}) {
        try (java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, pattern, new String[] {"TABLE"})) {
          while (rs.next()) {
            String schema = rs.getString("TABLE_SCHEM");
            String name = rs.getString("TABLE_NAME");
            if (!tables.contains(name) && (schema == null || !schema.equalsIgnoreCase("information_schema"))) {
              tables.add(name);
            }
          }
        }
      }
      boolean postgresql = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
      for (String t : tables) {
        s.execute("drop table if exists " + t + (postgresql ? " cascade" : ""));
      }
    }
  }


  /** A table name unique to one test run, so runs on shared servers never collide. */
  public static String uniqueTableName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
