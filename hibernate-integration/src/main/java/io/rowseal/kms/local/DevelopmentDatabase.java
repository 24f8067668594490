package io.rowseal.kms.local;

import io.rowseal.kms.KmsException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Decides whether the development setup (a keystore under a published passphrase) may keep its state in
 * a database. Only an embedded H2 qualifies: its data lives in this process or in a local file, which is
 * where a developer tries rowseal out. Any server database (PostgreSQL, MariaDB, H2 over {@code tcp:} or
 * {@code ssl:}, or one this rule does not know) may hold real data, so there the development keys need an
 * explicit opt-in ({@link LocalKmsBuilder#developmentKeys(boolean)}).
 *
 * <p>The database is read from the DataSource's JDBC metadata URL, never from settings: the URL a pool
 * was given can differ from what it connects to. Thread-safe: static methods only.
 */
final class DevelopmentDatabase {
  static final String CODE = "RS-2018";
  /** {@code jdbc:<subprotocol>:} and, if present, a named sub-scheme such as {@code tcp:} or {@code thin:}. */
  private static final Pattern SCHEME = Pattern.compile("^jdbc:[A-Za-z0-9]+:(?:[A-Za-z][A-Za-z0-9]+:)?");
  private static final String H2 = "jdbc:h2:";

  private DevelopmentDatabase() {}

  /**
   * Whether {@code url} is an embedded H2 database: {@code jdbc:h2:mem:}, {@code jdbc:h2:file:} or
   * {@code jdbc:h2:} followed directly by a relative or absolute path ({@code ~/db}, {@code ./db},
   * {@code /data/db}, {@code C:/data/db}). Remote ({@code tcp:}, {@code ssl:}) and every other H2
   * sub-scheme ({@code zip:}, {@code nio:}, …) are not: the rule admits only what it knows to be local.
   */
  static boolean isEmbeddedH2(String url) {
    if (url == null || !url.regionMatches(true, 0, H2, 0, H2.length())) {
      return false;
    }
    String rest = url.substring(H2.length()).toLowerCase(Locale.ROOT);
    if (rest.startsWith("mem:") || rest.startsWith("file:")) {
      return true;
    }
    // A path: no sub-scheme of two or more letters before a colon (a drive letter "C:" is a path).
    return !rest.matches("^[a-z][a-z0-9]+:.*");
  }

  /** The URL's scheme without host, database, user or password: {@code jdbc:postgresql:}, {@code jdbc:h2:tcp:}. */
  static String scheme(String url) {
    if (url == null) {
      return "an unknown JDBC URL";
    }
    Matcher m = SCHEME.matcher(url);
    return m.find() ? m.group().toLowerCase(Locale.ROOT) : "an unknown JDBC URL";
  }

  /**
   * Checks that {@code dataSource} reaches an embedded H2 database.
   *
   * @throws KmsException {@code RS-2018} naming the database product and URL scheme (never the host or
   *     credentials) and the two ways out; {@code RS-2004} if the database cannot be asked
   */
  static void requireEmbedded(DataSource dataSource) {
    String url;
    String product;
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      url = meta.getURL();
      product = meta.getDatabaseProductName();
    } catch (SQLException e) {
      throw new KmsException.Unavailable("cannot read the database's JDBC metadata to decide whether "
          + "LocalKms may use its development keys (SQL state " + e.getSQLState() + ")", e);
    }
    if (isEmbeddedH2(url)) {
      return;
    }
    throw new KmsException(CODE, "LocalKms has no keystore configured, and its development keys (a "
        + "published passphrase) are used only on an embedded H2 database (jdbc:h2:mem:, jdbc:h2:file:); "
        + "this database is " + product + " (" + scheme(url) + "). Configure a keystore: "
        + LocalKmsSettings.KEYSTORE + " and " + LocalKmsSettings.PASSPHRASE_ENV
        + " (builder: keystore(Path), passphraseFromEnv(String)); or, for a development database only, "
        + "opt in with " + LocalKmsSettings.DEVELOPMENT_KEYS + "=true (builder: developmentKeys(true))");
  }
}
