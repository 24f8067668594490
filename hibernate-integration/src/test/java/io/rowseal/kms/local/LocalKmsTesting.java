package io.rowseal.kms.local;

import io.rowseal.testing.TestDatabase;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;

/** Shared set-up of the LocalKms tests: builders on unique tables, with no background thread. */
final class LocalKmsTesting {
  static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

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
