package io.rowseal.benchmarks.macro;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** The databases the macro benchmark runs on. PostgreSQL is used only when it answers. */
public enum Database {
  H2("jdbc:h2:mem:rsbench;DB_CLOSE_DELAY=-1", "sa", ""),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");

  private final String url;
  private final String user;
  private final String password;

  Database(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Whether a connection can be opened within two seconds. */
  public boolean reachable() {
    if (this == H2) {
      return true;
    }
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "2");
    p.setProperty("loginTimeout", "2");
    try (Connection c = DriverManager.getConnection(url, p)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Lower-case name, as used in JMH parameters and reports. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Database of(String id) {
    return valueOf(id.toUpperCase(java.util.Locale.ROOT));
  }
}
