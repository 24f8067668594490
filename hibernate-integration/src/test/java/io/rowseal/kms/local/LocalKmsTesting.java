package io.rowseal.kms.local;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.TestDatabase;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;

/** Shared set-up of the LocalKms tests: builders on unique tables, with no background thread. */
final class LocalKmsTesting {
  static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  /** One test's LocalKms tables on one database, a fake clock and an HSM keystore; close drops the tables. */
  static final class Tables implements AutoCloseable {
    final MutableClock clock = MutableClock.startingAt("2025-01-01T00:00:00Z");
    final KeyStore keyStore = LocalKmsTesting.emptyKeyStore();
    final String prefix = LocalKmsTesting.uniquePrefix();
    final HikariDataSource ds;

    Tables(TestDatabase db) {
      this.ds = db.dataSource();
    }

    LocalKmsBuilder builder() {
      return LocalKmsTesting.builder(ds, keyStore, prefix, clock);
    }

    /** Runs {@code sql} on these tables' database, {@code %s} standing for the table prefix. */
    int execute(String sql) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        return s.executeUpdate(sql.replace("%s", prefix));
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {
      try {
        new KmsTables(ds, prefix).dropAll();
      } finally {
        ds.close();
      }
    }
  }

  private LocalKmsTesting() {}

  /** A fresh, empty in-memory PKCS#12 key store. */
  static KeyStore emptyKeyStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      return ks;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A table prefix no other test run uses. */
  static String uniquePrefix() {
    return TestDatabase.uniqueTableName("rsk").toLowerCase(Locale.ROOT) + "_";
  }

  /** A builder with the test passphrase, no maintenance thread and the given clock. */
  static LocalKmsBuilder builder(DataSource ds, KeyStore keyStore, String prefix, Clock clock) {
    LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(PASSPHRASE)
        .tablePrefix(prefix).clock(clock);
    b.maintenanceInterval = null;
    return b;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
