package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.LocalKmsDurabilityTest.Written;
import io.rowseal.kms.local.LocalKmsTesting.Tables;
import io.rowseal.testing.Stderr;
import io.rowseal.testing.TestDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CMK rows are authenticated: an edit made outside LocalKms is refused at the next start, on every database. */
class LocalKmsStateMacTest {

  /** An edit of one CMK row in state {@code from}; {@code {id}} stands for its id, {@code %s} for the prefix. */
  record Edit(String what, KeyState from, String sql) {}

  static final List<Edit> EDITS = List.of(
      new Edit("disabled key re-enabled", KeyState.DISABLED,
          "UPDATE %scmk SET state = 'ENABLED' WHERE cmk_id = '{id}'"),
      new Edit("deletion cancelled", KeyState.PENDING_DELETION,
          "UPDATE %scmk SET state = 'DISABLED', deletion_date = NULL WHERE cmk_id = '{id}'"),
      new Edit("deletion brought forward", KeyState.PENDING_DELETION,
          "UPDATE %scmk SET deletion_date = deletion_date - " + Duration.ofDays(29).toMillis()
              + " WHERE cmk_id = '{id}'"),
      new Edit("description changed", KeyState.ENABLED,
          "UPDATE %scmk SET description = 'payroll' WHERE cmk_id = '{id}'"),
      new Edit("destroyed key re-enabled", KeyState.DESTROYED,
          "UPDATE %scmk SET state = 'ENABLED', deletion_date = NULL WHERE cmk_id = '{id}'"),
      new Edit("re-enabled and MAC removed", KeyState.DISABLED,
          "UPDATE %scmk SET state = 'ENABLED', state_mac = NULL, mac_generation = NULL WHERE cmk_id = '{id}'"),
      new Edit("re-enabled with an enabled row's MAC", KeyState.DISABLED, "UPDATE %scmk SET state = 'ENABLED', "
          + "state_mac = (SELECT state_mac FROM %scmk_copy WHERE state = 'ENABLED' AND cmk_id <> '{id}' "
          + "AND description = 'untouched') WHERE cmk_id = '{id}'"));

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void build_cmkRowsEditedOutsideLocalKms_failsWithRs2015NamingEachUntilTheRowsArePutBack(TestDatabase db) {
    try (Tables t = new Tables(db)) {
      Map<Edit, String> edited = new LinkedHashMap<>();
      String untouched;
      try (LocalKms kms = t.builder().build()) {
        untouched = kms.createKey("untouched").cmkId();
        for (Edit edit : EDITS) {
          String id = kms.createKey(edit.what()).cmkId();
          edited.put(edit, id);
          switch (edit.from()) {
            case ENABLED -> { }
            case DISABLED -> kms.disableKey(id);
            case PENDING_DELETION -> kms.scheduleDeletion(id, Duration.ofDays(30));
            case DESTROYED -> kms.scheduleDeletion(id, Duration.ofDays(7));
          }
        }
        t.clock.advance(Duration.ofDays(7));
        kms.runMaintenance(); // destroys one CMK and rotates the domain key: every row is re-MACed
      }
      t.execute("CREATE TABLE %scmk_copy AS SELECT * FROM %scmk");
      try {
        edited.forEach((edit, id) -> assertThat(t.execute(edit.sql().replace("{id}", id))).as(edit.what()).isOne());

        assertThatThrownBy(() -> t.builder().build())
            .isInstanceOfSatisfying(KmsException.class, e -> {
              assertThat(e.code()).isEqualTo("RS-2015");
              assertThat(edited).allSatisfy((edit, id) -> assertThat(e.getMessage()).as(edit.what()).contains(id));
              assertThat(e.getMessage()).doesNotContain(untouched)
                  .contains("in table " + t.prefix + "cmk do not verify against their MACs");
            });

        t.execute("DELETE FROM %scmk");
        t.execute("INSERT INTO %scmk SELECT * FROM %scmk_copy");
        try (LocalKms kms = t.builder().build()) {
          edited.forEach((edit, id) -> assertThat(kms.describe(id).state()).as(edit.what()).isEqualTo(edit.from()));
        }
      } finally {
        t.execute("DROP TABLE %scmk_copy");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void build_rowsWithoutMacFromEarlierRelease_areMacedOnceWithOneWarnAndThenProtected(TestDatabase db)
      throws IntegrityException {
    try (Tables t = new Tables(db)) {
      String enabled;
      String disabled;
      Written w;
      try (LocalKms earlier = earlierRelease(t)) {
        enabled = earlier.createKey("enabled").cmkId();
        w = LocalKmsDurabilityTest.generate(earlier, enabled, 1);
        disabled = earlier.createKey("disabled").cmkId();
        earlier.disableKey(disabled);
        earlier.scheduleDeletion(earlier.createKey("pending").cmkId(), Duration.ofDays(7));
      }
      dropMacColumns(t);
      long generation = currentGeneration(t);

      String firstStart = Stderr.of(() -> {
        try (LocalKms kms = t.builder().build()) {
          assertThat(kms.describe(disabled).state()).isEqualTo(KeyState.DISABLED);
          assertThat(kms.domainKeyGeneration()).isEqualTo(generation + 1);
        }
      });
      assertThat(firstStart.split("found 3 CMK rows without a MAC in table " + t.prefix + "cmk", -1)).hasSize(2);
      assertThat(LocalKmsDurabilityTest.macGenerations(t.ds, t.prefix)).containsOnly(generation + 1);
      String secondStart = Stderr.of(() -> {
        try (LocalKms kms = t.builder().build()) {
          LocalKmsDurabilityTest.assertUnwrapAll(kms, List.of(w));
        }
      });
      assertThat(secondStart).doesNotContain("without a MAC");

      // The adopted rows are now protected, against an edit and against removing the MAC to be trusted again.
      t.execute("UPDATE %scmk SET state = 'ENABLED', state_mac = NULL, mac_generation = NULL WHERE cmk_id = '"
          + disabled + "'");
      assertThatThrownBy(() -> t.builder().build())
          .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2015"))
          .hasMessageContaining("'" + disabled + "'").hasMessageNotContaining(enabled);
    }
  }

  @Test
  void build_macColumnsMissingAndNoDdlRights_failsWithRs2019NamingTheStatementsThenStartsOnceTheyRan() {
    try (Tables t = new Tables(TestDatabase.H2)) {
      try (LocalKms earlier = earlierRelease(t)) {
        earlier.createKey("k");
      }
      dropMacColumns(t);
      t.execute("CREATE USER app_user PASSWORD 'app-user-password'");
      for (String table : List.of("hsm", "domain_token", "cmk", "ekt")) {
        t.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON %s" + table + " TO app_user");
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(t.ds.getJdbcUrl().replace(";DB_CLOSE_DELAY=-1", ""));
      config.setUsername("app_user");
      config.setPassword("app-user-password");
      try (HikariDataSource app = new HikariDataSource(config)) {
        String statements = "ALTER TABLE " + t.prefix + "cmk ADD COLUMN state_mac VARBINARY(64); ALTER TABLE "
            + t.prefix + "cmk ADD COLUMN mac_generation BIGINT";
        assertThatThrownBy(() -> LocalKmsTesting.builder(app, t.keyStore, t.prefix, t.clock).build())
            .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.code()).isEqualTo("RS-2019"))
            .hasMessageEndingWith("have these statements run for it: " + statements);

        for (String ddl : statements.split("; ")) {
          t.execute(ddl);
        }
        try (LocalKms kms = LocalKmsTesting.builder(app, t.keyStore, t.prefix, t.clock).build()) {
          assertThat(kms.usage().cmkCount()).isEqualTo(1);
        }
        assertThat(LocalKmsDurabilityTest.macGenerations(t.ds, t.prefix)).doesNotContainNull().hasSize(1);
      }
    }
  }

  @Test
  void createKey_descriptionTheColumnCannotHold_isRefusedAndNothingIsStored() {
    TestDatabase.MARIADB.requireAvailable();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestDatabase.MARIADB.url());
    config.setUsername(TestDatabase.MARIADB.user());
    config.setPassword(TestDatabase.MARIADB.password());
    config.setConnectionInitSql("SET SESSION sql_mode = ''"); // replaces what latin1 cannot hold by '?'
    String prefix = LocalKmsTesting.uniquePrefix();
    try (HikariDataSource ds = new HikariDataSource(config)) {
      try {
        new KmsTables(ds, prefix).createIfAbsent();
        execute(ds, "ALTER TABLE " + prefix + "cmk CONVERT TO CHARACTER SET latin1");
        try (LocalKms kms = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), prefix,
            MutableClock.startingAt("2025-01-01T00:00:00Z")).build()) {
          assertThatThrownBy(() -> kms.createKey("Zahlungen \u20ac \u2615"))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("the description cannot be stored unchanged in column " + prefix + "cmk.description "
                  + "(its character set changes it); use characters that column holds");
          assertThat(LocalKmsDurabilityTest.count(ds, prefix + "cmk")).isZero();
          assertThat(LocalKmsDurabilityTest.count(ds, prefix + "ekt")).isZero();
          assertThat(kms.usage().cmkCount()).isZero();
        }
      } finally {
        new KmsTables(ds, prefix).dropAll();
      }
    }
  }

  /** A LocalKms that writes what a release without CMK-row MACs wrote: version 1 EDTs. */
  private static LocalKms earlierRelease(Tables t) {
    LocalKmsBuilder b = t.builder();
    b.domainTokenVersion = DomainToken.VERSION_1;
    return b.build();
  }

  /** Brings table cmk back to the layout of a release without MACs. */
  private static void dropMacColumns(Tables t) {
    t.execute("ALTER TABLE %scmk DROP COLUMN state_mac");
    t.execute("ALTER TABLE %scmk DROP COLUMN mac_generation");
  }

  private static long currentGeneration(Tables t) {
    return new KmsTables(t.ds, t.prefix).domainTokens().stream().mapToLong(KmsTables.EdtRow::generation).max()
        .orElseThrow();
  }

  private static void execute(HikariDataSource ds, String sql) {
    try (var c = ds.getConnection(); var s = c.createStatement()) {
      s.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
