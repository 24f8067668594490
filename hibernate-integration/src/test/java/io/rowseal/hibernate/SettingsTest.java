package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.local.LocalKmsSettings;
import io.rowseal.kms.local.SettingWarnings;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rowseal.*} settings arrive through Hibernate's configuration, from any source. */
class SettingsTest {

  @Test
  void boot_kmsNamedInMemoryAndKeyStoreInstance_buildsItsOwnEnvelope() {
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KMS, "in-memory", RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(),
        RowsealSettings.BRANCH_KEY_ID, "orders", RowsealSettings.DEK_CACHE_TTL, "10m",
        RowsealSettings.BRANCH_KEY_TTL, "PT1H", RowsealSettings.DEK_CACHE_MAX_SIZE, "500");
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      byte[] stored = (byte[]) jpa.raw("select email from " + jpa.table("account")).get(0).get("email");
      String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);

      assertThat(email).isEqualTo("user1@example.org");
      assertThat(StorageTest.indexOf(stored, "orders".getBytes(StandardCharsets.US_ASCII)))
          .as("the value names its branch key").isNotNegative();
      assertThat(jpa.envelope.metrics().rowsEncrypted()).as("the test envelope was not used").isZero();
    }
  }

  @Test
  void boot_kmsGivenAsClassName_instantiatesIt() {
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KMS, InMemoryCmkProvider.class.getName(),
        RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore());
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);
      assertThat(email).isEqualTo("user1@example.org");
    }
  }

  @Test
  void boot_noKmsSetting_usesTheEmbeddedLocalKmsInTheSameDatabase(@TempDir Path dir) {
    // An explicit keystore: the development setup warns once per JVM, which LocalKms's own tests check.
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(), LocalKmsSettings.HSM_COUNT, "2",
        LocalKmsSettings.KEYSTORE, dir.resolve("hsm.p12").toString(),
        LocalKmsSettings.PASSPHRASE, "settings-test passphrase");
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);
      long kmsTables = jpa.raw("select table_name from information_schema.tables "
          + "where lower(table_name) like 'rowseal_kms_%'").size();

      assertThat(email).isEqualTo("user1@example.org");
      assertThat(kmsTables).as("LocalKms keeps its state in the application's database").isPositive();
    }
  }

  @Test
  void boot_misspeltSetting_failsNamingIt() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2,
        Map.of("rowseal.cache.dek-tll", "5m"), Account.class).close());

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining("rowseal.cache.dek-tll");
  }

  @Test
  void boot_badDuration_failsNamingSettingAndValue() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2,
        Map.of(RowsealSettings.DEK_CACHE_TTL, "five minutes"), Account.class).close());

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e).hasMessageContaining("RS-4010").hasMessageContaining(RowsealSettings.DEK_CACHE_TTL)
        .hasMessageContaining("five minutes");
  }

  @Test
  void boot_deprecatedLocalKmsSpellings_stillApplyAndWarnOnceEach(@TempDir Path dir) {
    String prefix = TestDatabase.uniqueTableName("old").toLowerCase(java.util.Locale.ROOT) + "_";
    Map<String, Object> settings = Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(),
        LocalKmsSettings.KEYSTORE, dir.resolve("hsm.p12").toString(),
        LocalKmsSettings.PASSPHRASE, "settings-test passphrase",
        "rowseal.kms.local.hsm_count", "2",
        "rowseal.kms.local.table_prefix", prefix,
        "rowseal.kms.local.domain_key_rotation", "PT12H");
    SettingWarnings.forget();

    String log = stderrOf(() -> {
      try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
        jpa.inTransaction(s -> s.persist(new Account(1)));
        String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);
        assertThat(email).isEqualTo("user1@example.org");
        assertThat(jpa.raw("select hsm_index from " + prefix + "hsm")).as("hsm_count and table_prefix apply")
            .hasSize(2);
      }
      return null;
    });

    for (String old : new String[] {"hsm_count", "table_prefix", "domain_key_rotation"}) {
      String warning = "rowseal setting rowseal.kms.local." + old + " is deprecated; use rowseal.kms.local."
          + old.replace('_', '-');
      assertThat(log.split(warning, -1)).as("one WARN for %s in one boot", old).hasSize(2);
    }
  }

  @Test
  void boot_deprecatedAndCurrentSpellingWithDifferentValues_failsNamingBoth() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ENVELOPE, "",
        LocalKmsSettings.HSM_COUNT, "3", "rowseal.kms.local.hsm_count", "5"), Account.class).close());

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining("rowseal.kms.local.hsm-count")
        .hasMessageContaining("rowseal.kms.local.hsm_count").hasMessageNotContaining("5");
  }

  @Test
  void boot_unknownLocalKmsSetting_failsWithRs4010NamingIt() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ENVELOPE, "",
        "rowseal.kms.local.hsmcount", "3"), Account.class).close());

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining("rowseal.kms.local.hsmcount")
        .hasMessageContaining(LocalKmsSettings.HSM_COUNT);
  }

  @Test
  void boot_badLocalKmsValue_failsWithRs4010NamingSettingAndValue() {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(), LocalKmsSettings.HSM_COUNT, "lots"),
        Account.class).close());

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining(LocalKmsSettings.HSM_COUNT).hasMessageContaining("'lots'");
  }

  @Test
  void boot_unknownRowsealSystemProperty_bootsAndWarnsOnceNamingIt() {
    // Hibernate copies System.getProperties() into its settings once per JVM (org.hibernate.cfg.Environment),
    // so a property set by a test does not reach it: the settings carry it here as Hibernate's copy would.
    RowsealSettings.forgetWarnings();
    String log = withSystemProperty("rowseal.version", "1.2", () -> stderrOf(() -> {
      try (Jpa jpa = Jpa.start(TestDatabase.H2, Map.of("rowseal.version", "1.2"), Account.class)) {
        jpa.inTransaction(s -> s.persist(new Account(1)));
        String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);
        assertThat(email).isEqualTo("user1@example.org");
      }
      return null;
    }));

    assertThat(log.split("RS-4012: rowseal ignores the system property rowseal.version", -1))
        .as("one WARN in one boot").hasSize(2);
    assertThat(System.getProperty("rowseal.version")).as("restored").isNull();
  }

  @Test
  void boot_unknownKeyWhoseValueDiffersFromTheSystemProperty_failsWithRs4010() {
    Throwable thrown = withSystemProperty("rowseal.version", "1.2", () -> catchThrowable(() ->
        Jpa.start(TestDatabase.H2, Map.of("rowseal.version", "1.3"), Account.class).close()));

    EncryptedMappingException e = ColumnCheckTest.cause(thrown);
    assertThat(e.code()).isEqualTo("RS-4010");
    assertThat(e).hasMessageContaining("rowseal.version");
  }

  @Test
  void boot_knownSettingFromASystemProperty_applies() {
    Map<String, Object> settings = new HashMap<>(Map.of(RowsealSettings.ENVELOPE, "",
        RowsealSettings.KMS, "in-memory", RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore()));
    settings.put(RowsealSettings.BRANCH_KEY_ID, "from-sysprop");
    byte[] stored = withSystemProperty(RowsealSettings.BRANCH_KEY_ID, "from-sysprop", () -> {
      try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
        jpa.inTransaction(s -> s.persist(new Account(1)));
        return (byte[]) jpa.raw("select email from " + jpa.table("account")).get(0).get("email");
      }
    });

    assertThat(StorageTest.indexOf(stored, "from-sysprop".getBytes(StandardCharsets.US_ASCII)))
        .as("the value names the branch key the system property set").isNotNegative();
  }

  @Test
  void persistenceXml_rowsealProperties_configureTheUnit() {
    Map<String, Object> overrides = Map.of(RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(),
        "jakarta.persistence.jdbc.url", TestDatabase.H2.url());
    try (EntityManagerFactory emf = Persistence.createEntityManagerFactory("rowseal-xml", overrides)) {
      SessionFactory sf = emf.unwrap(SessionFactory.class);
      sf.inTransaction(s -> s.persist(new Account(5)));

      byte[] stored = sf.fromTransaction(s -> (byte[]) s.createNativeQuery(
          "select email from account", Object.class).getSingleResult());
      String email = sf.fromTransaction(s -> s.find(Account.class, 5L).email);

      assertThat(email).isEqualTo("user5@example.org");
      assertThat(StorageTest.indexOf(stored, "xml-key".getBytes(StandardCharsets.US_ASCII))).isNotNegative();
    }
  }

  /** Runs {@code work} with system property {@code key} set to {@code value}, then restores it. */
  private static <T> T withSystemProperty(String key, String value, Supplier<T> work) {
    // Hibernate takes its one copy of the system properties when org.hibernate.cfg.Environment is
    // initialised: take it now, without this property, or every later boot in this JVM would see it.
    org.hibernate.cfg.Environment.getProperties();
    String previous = System.getProperty(key);
    System.setProperty(key, value);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, previous);
      }
    }
  }

  /** What {@code work} writes to standard error (where slf4j-simple logs), restoring it afterwards. */
  private static String stderrOf(Supplier<?> work) {
    return io.rowseal.testing.Stderr.of(work::get);
  }

}
