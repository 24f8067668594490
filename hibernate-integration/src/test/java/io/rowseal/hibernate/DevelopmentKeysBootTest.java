package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.LocalKmsSettings;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Booting with no keystore on a server database fails with {@code RS-2018} and leaves no rowseal table;
 * a configured keystore boots. (The zero-settings H2 boot and the opt-in are pinned in
 * {@code io.rowseal.kms.local.DevelopmentKeysTest}, where the development keystore can live in a temporary
 * directory instead of the working directory.)
 */
class DevelopmentKeysBootTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void boot_noKeystoreOnServerDatabase_failsWithRs2018AndCreatesNoRowsealTable(TestDatabase db)
      throws SQLException {
    String kmsPrefix = TestDatabase.uniqueTableName("rsdev").toLowerCase(Locale.ROOT) + "_";
    String keyTable = TestDatabase.uniqueTableName("rsdev_bk").toLowerCase(Locale.ROOT);
    // No keystore, no passphrase, no envelope: the defaults, on table names this test alone uses.
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        LocalKmsSettings.TABLE_PREFIX, kmsPrefix, RowsealSettings.KEYSTORE_TABLE, keyTable);
    Jpa jpa = Jpa.prepare(db);
    try {
      Throwable thrown = catchThrowable(() -> jpa.boot(settings, Account.class));

      KmsException e = Causes.find(thrown, KmsException.class);
      assertThat(e.code()).isEqualTo("RS-2018");
      assertThat(e).hasMessageContaining(LocalKmsSettings.DEVELOPMENT_KEYS + "=true")
          .hasMessageContaining(LocalKmsSettings.KEYSTORE).hasMessageContaining(LocalKmsSettings.PASSPHRASE_ENV);
      assertThat(tables(jpa.pool)).noneMatch(t -> t.startsWith(kmsPrefix) || t.startsWith(keyTable));
    } finally {
      jpa.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void boot_configuredKeystoreOnServerDatabase_bootsAndRoundTrips(TestDatabase db) throws SQLException {
    String kmsPrefix = TestDatabase.uniqueTableName("rsdev").toLowerCase(Locale.ROOT) + "_";
    String keyTable = TestDatabase.uniqueTableName("rsdev_bk").toLowerCase(Locale.ROOT);
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        LocalKmsSettings.TABLE_PREFIX, kmsPrefix, RowsealSettings.KEYSTORE_TABLE, keyTable,
        LocalKmsSettings.KEYSTORE, dir.resolve("hsm.p12").toString(),
        LocalKmsSettings.PASSPHRASE, "boot-test passphrase");
    try (Jpa jpa = Jpa.start(db, settings, Account.class)) {
      try {
        jpa.inTransaction(s -> s.persist(new Account(1)));

        String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);

        assertThat(email).isEqualTo("user1@example.org");
        assertThat(tables(jpa.pool)).anyMatch(t -> t.startsWith(kmsPrefix)).contains(keyTable, keyTable + "_head");
      } finally {
        jpa.sessionFactory.close();
        dropRowsealTables(jpa.pool, kmsPrefix, keyTable);
      }
    }
  }

  @Test
  void boot_developmentKeysNotABoolean_failsWithRs4010NamingIt() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ENVELOPE, "",
        LocalKmsSettings.DEVELOPMENT_KEYS, "yes"), Account.class).close());

    EncryptedMappingException e = Causes.find(thrown, EncryptedMappingException.class);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining(LocalKmsSettings.DEVELOPMENT_KEYS).hasMessageContaining("'yes'");
  }

  private static List<String> tables(DataSource ds) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static void dropRowsealTables(DataSource ds, String kmsPrefix, String keyTable) throws SQLException {
    List<String> drop = new ArrayList<>(tables(ds));
    drop.removeIf(t -> !t.startsWith(kmsPrefix) && !t.startsWith(keyTable));
    try (Connection c = ds.getConnection(); var s = c.createStatement()) {
      for (String t : drop) {
        s.execute("drop table " + t);
      }
    }
  }
}
