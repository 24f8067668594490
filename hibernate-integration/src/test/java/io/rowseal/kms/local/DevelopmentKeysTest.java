package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The development setup runs only on an embedded H2, or anywhere after an explicit opt-in. */
class DevelopmentKeysTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
      "jdbc:h2:mem:rs1;DB_CLOSE_DELAY=-1, true",
      "jdbc:h2:mem:, true",
      "JDBC:H2:MEM:upper, true",
      "jdbc:h2:file:./demo-data/customers, true",
      "jdbc:h2:file:/var/lib/app/db;AUTO_SERVER=TRUE, true",
      "jdbc:h2:./demo-data/customers, true",
      "jdbc:h2:~/customers, true",
      "jdbc:h2:/var/lib/app/db, true",
      "jdbc:h2:C:/data/db, true",
      "jdbc:h2:customers, true",
      "jdbc:h2:tcp://db.example.org/~/customers, false",
      "jdbc:h2:ssl://db.example.org/~/customers, false",
      "jdbc:h2:zip:~/db.zip!/db, false",
      "jdbc:postgresql://127.0.0.1:5432/test, false",
      "jdbc:mariadb://127.0.0.1:3306/test, false",
      "jdbc:hsqldb:mem:test, false",
      "jdbc:derby:memory:h2, false",
  })
  void isEmbeddedH2_jdbcUrl_onlyInMemoryAndLocalFileH2(String url, boolean embedded) {
    assertThat(DevelopmentDatabase.isEmbeddedH2(url)).as(url).isEqualTo(embedded);
  }

  @ParameterizedTest
  @CsvSource({
      "jdbc:postgresql://app:s3cret@db.example.org:5432/prod?password=s3cret, jdbc:postgresql:",
      "jdbc:mariadb://db.example.org:3306/prod?user=app&password=s3cret, jdbc:mariadb:",
      "jdbc:h2:tcp://sa:s3cret@db.example.org/~/prod, jdbc:h2:tcp:",
      "jdbc:oracle:thin:app/s3cret@db.example.org:1521/prod, jdbc:oracle:thin:",
      "not a url s3cret, an unknown JDBC URL",
  })
  void scheme_urlWithHostAndCredentials_keepsOnlyTheScheme(String url, String scheme) {
    assertThat(DevelopmentDatabase.scheme(url)).isEqualTo(scheme).doesNotContain("s3cret", "example");
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void build_noKeystoreOnServerDatabase_failsWithRs2018AndWritesNothing(TestDatabase db) throws SQLException {
    String prefix = LocalKmsTesting.uniquePrefix();
    try (HikariDataSource ds = db.dataSource()) {
      LocalKmsBuilder b = LocalKms.builder().dataSource(ds).tablePrefix(prefix);
      b.devKeystore = dir.resolve(".rowseal/localkms.p12");
      b.maintenanceInterval = null;

      assertThatThrownBy(b::build)
          .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2018"))
          .hasMessageContaining(db == TestDatabase.POSTGRESQL ? "PostgreSQL (jdbc:postgresql:)" : "(jdbc:mariadb:)")
          .hasMessageContaining("rowseal.kms.local.keystore and rowseal.kms.local.passphrase-env")
          .hasMessageContaining("rowseal.kms.local.development-keys=true")
          .hasMessageNotContaining("127.0.0.1")
          .hasMessageNotContaining(LocalKmsBuilder.DEV_PASSPHRASE);
      assertThat(b.devKeystore).doesNotExist();
      assertThat(tablesStartingWith(ds, prefix)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void fromSettings_developmentKeysOptInOnServerDatabase_bootsTheDevelopmentSetup(TestDatabase db)
      throws SQLException {
    String prefix = LocalKmsTesting.uniquePrefix();
    try (HikariDataSource ds = db.dataSource()) {
      LocalKmsBuilder b = LocalKms.builder().dataSource(ds);
      b.devKeystore = dir.resolve(".rowseal/localkms.p12");
      b.maintenanceInterval = null;
      LocalKmsSettings.apply(Map.of(LocalKmsSettings.DEVELOPMENT_KEYS, "true",
          LocalKmsSettings.TABLE_PREFIX, prefix), b);
      try (LocalKms kms = b.build()) {
        assertThat(kms.toString()).contains("development setup");
        assertThat(kms.createKey("opted in").cmkId()).isNotBlank();
        assertThat(tablesStartingWith(ds, prefix)).isNotEmpty();
      } finally {
        new KmsTables(ds, prefix).dropAll();
      }
      assertThat(b.devKeystore).exists();
    }
  }

  @Test
  void build_noKeystoreOnEmbeddedFileH2_bootsTheDevelopmentSetup() {
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db"));
      ds.setUsername("sa");
      LocalKmsBuilder b = LocalKms.builder().dataSource(ds);
      b.devKeystore = dir.resolve(".rowseal/localkms.p12");
      b.maintenanceInterval = null;
      try (LocalKms kms = b.build()) {
        assertThat(kms.toString()).contains("development setup");
      }
      assertThat(b.devKeystore).exists();
    }
  }

  @Test
  void build_developmentKeysWithAKeystore_failsNamingBoth() {
    try (HikariDataSource ds = TestDatabase.H2.dataSource()) {
      LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(dir.resolve("kms.p12"))
          .passphrase(LocalKmsTesting.PASSPHRASE).developmentKeys(true);

      assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("developmentKeys(true) was set together with keystore ")
          .hasMessageEndingWith("remove one of the two");
      assertThat(dir.resolve("kms.p12")).doesNotExist();
    }
  }

  @Test
  void apply_developmentKeysNotABoolean_failsNamingKeyAndValue() {
    assertThatThrownBy(() -> LocalKmsSettings.apply(Map.of(LocalKmsSettings.DEVELOPMENT_KEYS, "yes"),
        LocalKms.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting rowseal.kms.local.development-keys must be true or false, was 'yes'");
  }

  @Test
  void developmentKeys_setTwice_failsNamingTheFirstValue() {
    assertThatThrownBy(() -> LocalKms.builder().developmentKeys(false).developmentKeys(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("developmentKeys was already set to false");
  }

  private static List<String> tablesStartingWith(HikariDataSource ds, String prefix) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (name.startsWith(prefix)) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
