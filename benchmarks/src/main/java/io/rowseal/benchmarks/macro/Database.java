package io.rowseal.benchmarks.macro;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The databases the macro and migration benchmarks run on. PostgreSQL and MariaDB are used only when
 * they answer; the Hibernate macro benchmark runs on {@link #MACRO} only.
 */
public enum Database {
  H2("jdbc:h2:mem:rsbench;DB_CLOSE_DELAY=-1", "sa", ""),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "");

  /** The Hibernate macro benchmark's databases (its figures in the README are on these two). */
  public static final java.util.List<Database> MACRO = java.util.List.of(H2, POSTGRESQL);

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
    // PostgreSQL's driver reads connectTimeout in seconds, MariaDB's in milliseconds.
    p.setProperty("connectTimeout", this == MARIADB ? "2000" : "2");
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
