package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.Stderr;
import io.rowseal.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up from files and settings: first run, restarts, and the errors that protect existing data. */
class LocalKmsStartupTest {
  private static final char[] OTHER = "not the right passphrase".toCharArray();
  @TempDir Path dir;
  private HikariDataSource ds;
  private final Clock clock = Clock.systemUTC();

  @BeforeEach
  void openDatabase() {
    ds = TestDatabase.H2.dataSource();
  }

  @AfterEach
  void closeDatabase() {
    ds.close();
  }

  @Test
  void build_restartWithSameFileAndPassphrase_sameCmksAndBlobsUnwrap() throws IntegrityException {
    Path keystore = dir.resolve("kms.p12");
    LocalKmsDurabilityTest.Written w;
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      w = LocalKmsDurabilityTest.generate(kms, kms.createKey("k").cmkId(), 1);
    }
    assertThat(keystore).exists();
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      assertThat(kms.unwrap(w.cmkId(), w.blob(), w.context()).sameKeyAs(w.key())).isTrue();
    }
  }

  @Test
  void build_wrongPassphraseWhileStateExists_failsWithRs2011AndChangesNothing() throws Exception {
    Path keystore = dir.resolve("kms.p12");
    String cmk;
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      cmk = kms.createKey("k").cmkId();
    }
    byte[] digest = sha256(keystore);
    Map<Integer, byte[]> hsmKeys = new KmsTables(ds, "rowseal_kms_").hsmPublicKeys();

    assertThatThrownBy(() -> fileBuilder(keystore, OTHER).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2011"))
        .hasMessageContaining(keystore.toString())
        .hasMessageContaining("cannot be opened with the configured passphrase")
        .hasMessageNotContaining(new String(OTHER));

    assertThat(sha256(keystore)).isEqualTo(digest);
    assertThat(new KmsTables(ds, "rowseal_kms_").hsmPublicKeys()).hasSameSizeAs(hsmKeys);
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      assertThat(kms.describe(cmk).cmkId()).isEqualTo(cmk);
    }
  }

  @Test
  void build_keystoreMissingWhileStateExists_failsWithRs2010AndCreatesNoKeystore() throws IOException {
    Path keystore = dir.resolve("kms.p12");
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      kms.createKey("k");
    }
    Path away = Files.move(keystore, dir.resolve("backup.p12"));

    assertThatThrownBy(() -> fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2010"))
        .hasMessageContaining("its keystore " + keystore + " is missing")
        .hasMessageContaining("keys are never regenerated");
    assertThat(keystore).doesNotExist();

    Files.move(away, keystore);
    try (LocalKms kms = fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build()) {
      assertThat(kms.usage().cmkCount()).isEqualTo(1);
    }
  }

  @Test
  void build_keystoreOfAnotherDomain_failsWithRs2012() {
    try (LocalKms kms = fileBuilder(dir.resolve("a.p12"), LocalKmsTesting.PASSPHRASE).build()) {
      kms.createKey("k");
    }
    try (HikariDataSource other = TestDatabase.H2.dataSource()) {
      LocalKms.builder().dataSource(other).keystore(dir.resolve("b.p12")).passphrase(LocalKmsTesting.PASSPHRASE)
          .build().close();
    }
    assertThatThrownBy(() -> fileBuilder(dir.resolve("b.p12"), LocalKmsTesting.PASSPHRASE).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2012"))
        .hasMessageContaining("belongs to another domain");
  }

  @Test
  void build_inMemoryKeystoreWithWrongPassphrase_failsWithRs2011() {
    var keyStore = LocalKmsTesting.emptyKeyStore();
    LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(LocalKmsTesting.PASSPHRASE).build().close();
    assertThatThrownBy(() -> LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(OTHER).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2011"));
  }

  @Test
  void build_domainTokenRowTampered_failsWithRs2013() throws SQLException {
    var keyStore = LocalKmsTesting.emptyKeyStore();
    LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(LocalKmsTesting.PASSPHRASE).build().close();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE rowseal_kms_domain_token SET generation = 2");
    }
    assertThatThrownBy(() -> LocalKms.builder().dataSource(ds).keystore(keyStore)
        .passphrase(LocalKmsTesting.PASSPHRASE).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2013"))
        .hasMessageContaining("refuse the domain token of generation 2 in table rowseal_kms_domain_token");
  }

  @Test
  void build_enabledCmkWhoseEktsWereDeleted_failsWithRs2013() throws SQLException {
    var keyStore = LocalKmsTesting.emptyKeyStore();
    String id;
    try (LocalKms kms = LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(LocalKmsTesting.PASSPHRASE)
        .build()) {
      id = kms.createKey("k").cmkId();
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM rowseal_kms_ekt");
    }
    assertThatThrownBy(() -> LocalKms.builder().dataSource(ds).keystore(keyStore)
        .passphrase(LocalKmsTesting.PASSPHRASE).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2013"))
        .hasMessageContaining("CMK '" + id + "' is ENABLED but has no EKT in table rowseal_kms_ekt");
  }

  @Test
  void build_domainTokenClaimingMoreRecipientsThanItHolds_failsWithRs2013() throws SQLException {
    var keyStore = LocalKmsTesting.emptyKeyStore();
    LocalKms.builder().dataSource(ds).keystore(keyStore).passphrase(LocalKmsTesting.PASSPHRASE).build().close();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      // bytes 19-20 are the recipient count: 3 entries stored, 64 claimed
      s.executeUpdate("UPDATE rowseal_kms_domain_token SET edt = "
          + "SUBSTRING(edt FROM 1 FOR 19) || X'0040' || SUBSTRING(edt FROM 22)");
    }
    assertThatThrownBy(() -> LocalKms.builder().dataSource(ds).keystore(keyStore)
        .passphrase(LocalKmsTesting.PASSPHRASE).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2013"))
        .hasMessageContaining("refuse the domain token of generation 1 in table rowseal_kms_domain_token")
        .hasCauseInstanceOf(IntegrityException.class);
  }

  @Test
  void build_noSettingsOnFirstRun_createsDevelopmentKeystoreAndWarnsOnce() {
    Path devKeystore = dir.resolve(".rowseal/localkms.p12");
    String log = Stderr.of(() -> {
      for (int run = 0; run < 2; run++) {
        LocalKmsBuilder b = LocalKms.builder().dataSource(ds);
        b.devKeystore = devKeystore;
        try (LocalKms kms = b.build()) {
          assertThat(kms.toString()).contains("development setup");
        }
      }
    });
    assertThat(devKeystore).exists();
    assertThat(log.split("LocalKms runs in its development setup", -1)).hasSize(2);
    assertThat(log).contains("WARN").doesNotContain(LocalKmsBuilder.DEV_PASSPHRASE);
  }

  @Test
  void fromSettings_productionKeys_openTheConfiguredKeystoreWithThePassphraseFromTheEnvironment() {
    Path keystore = dir.resolve("prod.p12");
    LocalKmsBuilder b = LocalKms.builder().dataSource(ds);
    b.environment = name -> name.equals("ROWSEAL_KMS_PASSPHRASE") ? "from the environment" : null;
    LocalKmsSettings.apply(Map.of(
        "rowseal.kms.local.keystore", keystore.toString(),
        "rowseal.kms.local.passphrase-env", "ROWSEAL_KMS_PASSPHRASE",
        "rowseal.kms.local.hsm-count", "4",
        "rowseal.kms.local.table-prefix", "app_kms_",
        "rowseal.kms.local.quota", 500,
        "rowseal.kms.local.domain-key-rotation", "PT12H",
        "hibernate.show_sql", "true"), b);
    try (LocalKms kms = b.build()) {
      assertThat(kms.toString()).isEqualTo("LocalKms(app_kms_*, 4 HSMs)");
    }
    assertThat(keystore).exists();
  }

  @Test
  void fromSettings_deprecatedSnakeCaseSpellings_stillApplyAndWarnOnceEach() {
    Path keystore = dir.resolve("old.p12");
    Map<String, Object> old = Map.of(
        "rowseal.kms.local.keystore", keystore.toString(),
        "rowseal.kms.local.passphrase_env", "ROWSEAL_KMS_PASSPHRASE",
        "rowseal.kms.local.hsm_count", "2",
        "rowseal.kms.local.table_prefix", "old_kms_",
        "rowseal.kms.local.domain_key_rotation", "PT12H");
    LocalKmsSettings.forgetWarnings();
    String log = Stderr.of(() -> {
      for (int run = 0; run < 2; run++) {
        LocalKmsBuilder b = LocalKms.builder().dataSource(ds);
        b.environment = name -> name.equals("ROWSEAL_KMS_PASSPHRASE") ? "from the environment" : null;
        try (LocalKms kms = LocalKmsSettings.apply(old, b).build()) {
          assertThat(kms.toString()).isEqualTo("LocalKms(old_kms_*, 2 HSMs)");
        }
      }
    });

    LocalKmsSettings.DEPRECATED.forEach((spelling, current) -> assertThat(log.split(
        "rowseal setting " + spelling + " is deprecated; use " + current, -1))
        .as("one WARN for %s", spelling).hasSize(2));
    assertThat(log).contains("WARN");
  }

  @Test
  void canonical_deprecatedAndCurrentSpelling_agreeingValuesAreOneSettingDifferentValuesFail() {
    assertThat(LocalKmsSettings.canonical(Map.of("rowseal.kms.local.hsm_count", "2",
        "rowseal.kms.local.hsm-count", " 2")))
        .containsOnlyKeys("rowseal.kms.local.hsm-count");

    assertThatThrownBy(() -> LocalKmsSettings.canonical(Map.of("rowseal.kms.local.passphrase_env", "A_VAR",
        "rowseal.kms.local.passphrase-env", "B_VAR")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting rowseal.kms.local.passphrase-env is also given under its deprecated spelling "
            + "rowseal.kms.local.passphrase_env, with a different value; remove rowseal.kms.local.passphrase_env");
  }

  @Test
  void fromSettings_unknownKeyUnderPrefix_failsNamingTheKnownKeys() {
    assertThatThrownBy(() -> LocalKms.fromSettings(Map.of("rowseal.kms.local.hsmcount", "3"), ds))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown setting rowseal.kms.local.hsmcount; known settings: [")
        .hasMessageContaining("rowseal.kms.local.hsm-count");
    assertThatThrownBy(() -> LocalKms.fromSettings(Map.of("rowseal.kms.local.quota", "lots"), ds))
        .hasMessage("setting rowseal.kms.local.quota must be an integer, was 'lots'");
  }

  @Test
  void builder_invalidOrRepeatedSettings_failFastWithExactMessages() {
    assertThatThrownBy(() -> LocalKms.builder().hsmCount(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hsmCount must be between 1 and 16, was 0");
    assertThatThrownBy(() -> LocalKms.builder().hsmCount(3).hsmCount(5))
        .isInstanceOf(IllegalStateException.class).hasMessage("hsmCount was already set to 3");
    assertThatThrownBy(() -> LocalKms.builder().tablePrefix("x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tablePrefix must be a letter");
    assertThatThrownBy(() -> LocalKms.builder().passphrase("short".toCharArray()))
        .hasMessage("passphrase must have at least 8 characters, had 5");
    assertThatThrownBy(() -> LocalKms.builder().quota(0)).hasMessage("quota must be positive, was 0");
    assertThatThrownBy(() -> LocalKms.builder().build()).hasMessage("dataSource must be set");
    assertThatThrownBy(() -> LocalKms.builder().dataSource(ds).keystore(dir.resolve("x.p12")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("but no passphrase; call passphrase(char[]) or passphraseFromEnv(String)");
    LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(dir.resolve("x.p12")).passphraseFromEnv("NOPE");
    b.environment = name -> null;
    assertThatThrownBy(b::build)
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2016"))
        .hasMessageContaining("environment variable NOPE");
    assertThat(dir.resolve("x.p12")).doesNotExist();
  }

  @Test
  void build_newKeystoreWithPassphraseShorterThan16_failsWithRs2016AndWritesNothing() throws SQLException {
    Path keystore = dir.resolve("kms.p12");
    assertThatThrownBy(() -> fileBuilder(keystore, "fifteen chars!!".toCharArray()).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2016"))
        .hasMessageContaining("a new keystore " + keystore + " needs a passphrase of at least 16 characters; "
            + "the configured one has 15")
        .hasMessageNotContaining("fifteen chars!!");
    LocalKmsBuilder fromEnv = LocalKms.builder().dataSource(ds).keystore(keystore).passphraseFromEnv("KMS_PASS");
    fromEnv.environment = name -> "only 12 char";
    assertThatThrownBy(fromEnv::build)
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2016"))
        .hasMessageContaining("the configured one has 12");
    assertThat(keystore).doesNotExist();
    try (Connection c = ds.getConnection();
        ResultSet tables = c.getMetaData().getTables(null, null, "ROWSEAL_KMS_%", null)) {
      assertThat(tables.next()).as("a LocalKms table").isFalse();
    }

    fileBuilder(keystore, "sixteen chars!!!".toCharArray()).build().close();
    assertThat(keystore).exists();
  }

  @Test
  void build_keystoreMadeEarlierUnderPassphraseOf8To15_opensWithOneWarn() {
    Path keystore = dir.resolve("earlier.p12");
    char[] earlier = "ten chars!".toCharArray();
    HsmKeystore.file(keystore).create(3, earlier, clock.instant()); // as a release without the rule made it
    String log = Stderr.of(() -> {
      try (LocalKms kms = fileBuilder(keystore, earlier).build()) {
        assertThat(kms.createKey("k").state()).isEqualTo(io.rowseal.kms.KeyState.ENABLED);
      }
    });
    assertThat(log.split("LocalKms keystore " + keystore + " is protected by a passphrase of 10 characters; "
        + "new keystores need at least 16", -1)).hasSize(2);
    assertThat(log).contains("WARN", "keytool -storepasswd").doesNotContain("ten chars!");
  }

  @Test
  void build_hsmCountDiffersFromStoredDomain_failsWithRs2012() {
    Path keystore = dir.resolve("kms.p12");
    fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).build().close();
    assertThatThrownBy(() -> fileBuilder(keystore, LocalKmsTesting.PASSPHRASE).hsmCount(5).build())
        .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2012"))
        .hasMessageContaining("the domain has 3 HSMs");
  }

  private LocalKmsBuilder fileBuilder(Path keystore, char[] passphrase) {
    LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(keystore).passphrase(passphrase).clock(clock);
    b.maintenanceInterval = null;
    return b;
  }

  private static byte[] sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }
}
