package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
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
        RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore(), "rowseal.kms.local.hsm_count", "2",
        "rowseal.kms.local.keystore", dir.resolve("hsm.p12").toString(),
        "rowseal.kms.local.passphrase", "settings-test passphrase");
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
}
