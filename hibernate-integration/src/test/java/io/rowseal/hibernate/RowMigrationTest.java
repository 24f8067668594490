package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.DekId;
import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The migration job on each database: legacy plaintext encrypted, old branch-key versions re-encrypted,
 * missing footers written; rows it cannot read reported and passed; a run stopped midway resumed with
 * exact counts.
 */
class RowMigrationTest {
  static final Map<String, Object> ON = TransitionReadsTest.ON;

  /** A checkpoint table unique to this test, so runs on the shared servers never meet. */
  static RowMigration migration(Jpa jpa, Class<?> type) {
    return RowMigration.of(jpa.sessionFactory, type).checkpointTable(jpa.table("rs_mig"));
  }

  static void dropCheckpoint(Jpa jpa) {
    jpa.rawUpdate("drop table if exists " + jpa.table("rs_mig"));
    jpa.rawUpdate("drop table if exists " + jpa.table("rs_mig") + "_failed");
  }

  private static void legacyRows(Jpa jpa, int n) {
    for (long id = 1; id <= n; id++) {
      TransitionReadsTest.legacyRow(jpa, id, "user" + id + "@example.org", "1980-02-29", "SILVER",
          String.valueOf(id), "12.50");
    }
  }

  private static List<Map<String, Object>> rows(Jpa jpa) {
    return jpa.raw("select * from " + jpa.table("old_customer") + " order by id");
  }

  private static long legacyReads(Jpa jpa) {
    return LegacyPlaintext.of(jpa.sessionFactory.unwrap(SessionFactoryImplementor.class)).reads()
        .getOrDefault("OldCustomer", 0L);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void run_legacyPlaintextRows_encryptsAndSignsEveryRowWithItsValues(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRows(jpa, 23);
      try {
        MigrationReport report = migration(jpa, OldCustomer.class).batchSize(5).run();

        assertThat(report.rewritten()).isEqualTo(23);
        assertThat(report.examined()).isEqualTo(23);
        assertThat(report.skipped()).isZero();
        assertThat(report.failedIds()).isEmpty();
        assertThat(report.resumed()).isFalse();
        for (Map<String, Object> row : rows(jpa)) {
          assertThat(Envelope.isValue((byte[]) row.get("email"))).isTrue();
          assertThat(Envelope.isValue((byte[]) row.get("tier"))).isTrue();
          assertThat(row.get("rowseal_sig")).isNotNull();
        }
        long legacyBefore = legacyReads(jpa);
        List<OldCustomer> all = jpa.fromTransaction(s -> s.createQuery("from OldCustomer order by id",
            OldCustomer.class).getResultList());
        assertThat(all).hasSize(23);
        assertThat(all.get(6).email).isEqualTo("user7@example.org");
        assertThat(all.get(6).score).isEqualTo(7);
        assertThat(all.get(6).tier).isEqualTo(Tier.SILVER);
        assertThat(legacyReads(jpa)).as("nothing read as legacy plaintext any more").isEqualTo(legacyBefore);
      } finally {
        dropCheckpoint(jpa);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void run_afterRotation_reencryptsOnlyRowsUnderOlderVersions(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.inTransaction(s -> {
        for (long id = 1; id <= 10; id++) {
          s.persist(new Account(id));
        }
      });
      jpa.envelope.rotateBranchKey();
      jpa.inTransaction(s -> s.find(Account.class, 3L).owner = "written under version 2");
      try {
        MigrationReport report = migration(jpa, Account.class).batchSize(4).run();

        assertThat(report.rewritten()).isEqualTo(9);
        assertThat(report.alreadyCurrent()).isEqualTo(1);
        for (Map<String, Object> row : jpa.raw("select * from " + jpa.table("account"))) {
          assertThat(version((byte[]) row.get("email"))).isEqualTo(2);
          assertThat(version((byte[]) row.get("balance"))).isEqualTo(2);
        }
        Account five = jpa.fromTransaction(s -> s.find(Account.class, 5L));
        assertThat(five).isEqualTo(new Account(5));
      } finally {
        dropCheckpoint(jpa);
      }
    }
  }

  private static int version(byte[] stored) {
    try {
      return DekId.ofValue(stored).ref().version();
    } catch (io.rowseal.IntegrityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void reencryptBelowVersion_leavesNewerVersionsAlone() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      jpa.envelope.rotateBranchKey();
      jpa.inTransaction(s -> s.persist(new Account(2)));
      jpa.envelope.rotateBranchKey();

      MigrationReport report = migration(jpa, Account.class).reencryptBelowVersion(2).run();

      assertThat(report.rewritten()).isEqualTo(1);
      assertThat(report.alreadyCurrent()).isEqualTo(1);
      Map<Long, Integer> versions = new java.util.TreeMap<>();
      jpa.raw("select id, email from " + jpa.table("account"))
          .forEach(r -> versions.put(((Number) r.get("id")).longValue(), version((byte[]) r.get("email"))));
      assertThat(versions).containsExactly(Map.entry(1L, 3), Map.entry(2L, 2));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void reencryptUnderCmk_afterTheCmkChanged_rewritesExactlyTheRowsUnderTheOldCmk(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String cmkA = jpa.kms.createKey("retired").cmkId();
      String cmkB = jpa.kms.createKey("successor").cmkId();
      try (Envelope underA = Envelope.builder().cmkProvider(jpa.kms).branchKeyStore(jpa.keyStore).cmkId(cmkA).build();
          Envelope underB = Envelope.builder().cmkProvider(jpa.kms).branchKeyStore(jpa.keyStore).cmkId(cmkB)
              .previousCmkIds(java.util.List.of(cmkA)).build()) { // A stays readable: it is pinned as a previous CMK
        // 1. The application writes rows 1-8 under CMK A, across two branch-key versions.
        jpa.boot(Map.of(RowsealSettings.ENVELOPE, underA, "hibernate.hbm2ddl.auto", "create"), Account.class);
        try {
          persist(jpa, 1, 5);
          underA.rotateBranchKey();
          persist(jpa, 6, 8);
          // 2. Its next deployment wraps new versions under CMK B and rotates; rows 9-12 go under version 3
          //    (CMK B), which a second rotation retires: they must stay, they are not under A.
          jpa.boot(Map.of(RowsealSettings.ENVELOPE, underB, "hibernate.hbm2ddl.auto", "none"), Account.class);
          underB.rotateBranchKey();
          persist(jpa, 9, 12);
          underB.rotateBranchKey();
          jpa.inTransaction(s -> s.find(Account.class, 2L).owner = "written under CMK B");
          assertThat(rowsUnderCmk(jpa, cmkA)).isEqualTo(7);

          MigrationReport report = migration(jpa, Account.class).reencryptUnderCmk(cmkA).batchSize(5).run();

          assertThat(report.rewritten()).isEqualTo(7);
          assertThat(report.alreadyCurrent()).isEqualTo(5);
          assertThat(report.failedIds()).isEmpty();
          Map<Long, Integer> versions = new java.util.TreeMap<>();
          jpa.raw("select id, email, balance, rowseal_sig from " + jpa.table("account")).forEach(r -> {
            long id = ((Number) r.get("id")).longValue();
            versions.put(id, version((byte[]) r.get("email")));
            assertThat(version((byte[]) r.get("balance"))).as("row %s balance", id).isEqualTo(versions.get(id));
            assertThat(footerVersion((byte[]) r.get("rowseal_sig"))).as("row %s footer", id)
                .isEqualTo(versions.get(id));
          });
          assertThat(versions).containsExactlyEntriesOf(expectedVersions());
          assertThat(rowsUnderCmk(jpa, cmkA)).as("rows under the retired CMK").isZero();
          assertThat(rowsUnderCmk(jpa, cmkB)).isEqualTo(12);
          List<Account> all = jpa.fromTransaction(s -> s.createQuery("from Account order by id", Account.class)
              .getResultList());
          Account two = new Account(2);
          two.owner = "written under CMK B";
          assertThat(all).hasSize(12).element(1).isEqualTo(two);
          assertThat(all).filteredOn(a -> a.id != 2).allMatch(a -> a.equals(new Account(a.id)));
        } finally {
          dropCheckpoint(jpa);
          jpa.rawUpdate("drop table " + jpa.table("account"));
        }
      }
    }
  }

  /** Row 1-8 (and 2, which the application rewrote) under version 4 after the job; 9-12 left under 3. */
  private static Map<Long, Integer> expectedVersions() {
    Map<Long, Integer> v = new java.util.TreeMap<>();
    for (long id = 1; id <= 12; id++) {
      v.put(id, id <= 8 ? 4 : 3);
    }
    return v;
  }

  @Test
  void reencryptUnderCmk_whileThatCmkWrapsTheActiveVersion_isRefusedWithRs4507AndRewritesNothing() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      String cmk = jpa.envelope.cmkIdOf(jpa.envelope.activeBranchKey()).orElseThrow();
      Object before = jpa.raw("select email from " + jpa.table("account")).get(0).get("email");

      Throwable thrown = catchThrowable(() -> migration(jpa, Account.class).reencryptUnderCmk(cmk).run());

      assertThat(thrown).isInstanceOf(MigrationException.class).hasMessageStartingWith("RS-4507")
          .hasMessageContaining(cmk).hasMessageContaining("default#1").hasMessageContaining("rotate");
      assertThat((byte[]) jpa.raw("select email from " + jpa.table("account")).get(0).get("email"))
          .isEqualTo((byte[]) before);
    }
  }

  private static void persist(Jpa jpa, long from, long to) {
    jpa.inTransaction(s -> {
      for (long id = from; id <= to; id++) {
        s.persist(new Account(id));
      }
    });
  }

  /** Rows of the account table under CMK {@code cmkId}, as the key inventory counts them. */
  private static long rowsUnderCmk(Jpa jpa, String cmkId) {
    return RowsealInventory.of(jpa.sessionFactory).stream()
        .filter(e -> e.table().equalsIgnoreCase(jpa.table("account")) && cmkId.equals(e.cmkId()))
        .mapToLong(RowsealInventory.Entry::rows).sum();
  }

  private static int footerVersion(byte[] footer) {
    try {
      return DekId.ofFooter(footer).ref().version();
    } catch (io.rowseal.IntegrityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void reencryptBelowVersion_aboveTheActiveOne_leavesRowsUnderTheActiveVersionAlone() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      jpa.envelope.rotateBranchKey();
      jpa.inTransaction(s -> s.persist(new Account(2)));
      Object two = jpa.raw("select email from " + jpa.table("account") + " where id = 2").get(0).get("email");

      MigrationReport report = migration(jpa, Account.class).reencryptBelowVersion(5).run();

      assertThat(report.rewritten()).isEqualTo(1);
      assertThat(report.alreadyCurrent()).isEqualTo(1);
      assertThat((byte[]) jpa.raw("select email from " + jpa.table("account") + " where id = 2").get(0).get("email"))
          .as("rewriting it would only put it under the same version again").isEqualTo((byte[]) two);
    }
  }

  @Test
  void reencryptNothing_signsUnsignedRowsOnly() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ROW_SIGNATURE_REQUIRE, "false"),
        Account.class)) {
      jpa.inTransaction(s -> {
        s.persist(new Account(1));
        s.persist(new Account(2));
      });
      jpa.envelope.rotateBranchKey();
      jpa.rawUpdate("update " + jpa.table("account") + " set rowseal_sig = null where id = 2");

      MigrationReport report = migration(jpa, Account.class).reencryptNothing().run();

      assertThat(report.rewritten()).isEqualTo(1);
      assertThat(jpa.raw("select rowseal_sig from " + jpa.table("account") + " where rowseal_sig is null")).isEmpty();
      assertThat(version((byte[]) jpa.raw("select email from " + jpa.table("account") + " where id = 1").get(0)
          .get("email"))).as("row 1 stays under version 1").isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void run_rowsItCannotRead_areListedAndTheJobGoesOn(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRows(jpa, 12);
      jpa.rawUpdate("update " + jpa.table("old_customer") + " set score = ? where id = 4",
          "forty-two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        MigrationReport report = migration(jpa, OldCustomer.class).batchSize(5).run();

        assertThat(report.failedIds()).containsExactly("4");
        assertThat(report.rewritten()).isEqualTo(11);
        assertThat(report.examined()).isEqualTo(12);
        List<Map<String, Object>> rows = rows(jpa);
        assertThat(rows).filteredOn(r -> r.get("rowseal_sig") == null).extracting(r -> ((Number) r.get("id")).longValue())
            .containsExactly(4L);
      } finally {
        dropCheckpoint(jpa);
      }
    }
  }

  @Test
  void run_valueMovedFromAnotherRow_isReportedNotResigned() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Account.class)) {
      jpa.inTransaction(s -> {
        for (long id = 1; id <= 3; id++) {
          s.persist(new Account(id));
        }
      });
      jpa.envelope.rotateBranchKey();
      Object moved = jpa.raw("select email from " + jpa.table("account") + " where id = 1").get(0).get("email");
      jpa.rawUpdate("update " + jpa.table("account") + " set email = ? where id = 2", moved);

      MigrationReport report = migration(jpa, Account.class).run();

      assertThat(report.failedIds()).containsExactly("2");
      assertThat(report.rewritten()).isEqualTo(2);
      assertThat(version((byte[]) jpa.raw("select email from " + jpa.table("account") + " where id = 2").get(0)
          .get("email"))).as("left as it was").isEqualTo(1);
    }
  }

  @Test
  void run_secondRun_findsEveryRowCurrentAndStartsANewPass() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, ON, OldCustomer.class)) {
      legacyRows(jpa, 7);
      migration(jpa, OldCustomer.class).batchSize(3).run();

      MigrationReport again = migration(jpa, OldCustomer.class).batchSize(3).run();

      assertThat(again.resumed()).isFalse();
      assertThat(again.rewritten()).isZero();
      assertThat(again.alreadyCurrent()).isEqualTo(7);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void run_stoppedAfterABatch_resumesWithExactCounts(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRows(jpa, 10);
      try {
        Throwable stopped = catchThrowable(() -> migration(jpa, OldCustomer.class).batchSize(4).progress(p -> {
          throw new IllegalStateException("stop after " + p.done());
        }).run());
        assertThat(stopped).hasMessage("stop after 4");
        assertThat(rows(jpa)).filteredOn(r -> r.get("rowseal_sig") != null).hasSize(4);

        List<MigrationProgress> progress = new ArrayList<>();
        MigrationReport report = migration(jpa, OldCustomer.class).batchSize(4).progress(progress::add).run();

        assertThat(report.resumed()).isTrue();
        assertThat(report.rewritten()).isEqualTo(10);
        assertThat(report.examined()).isEqualTo(10);
        assertThat(progress).extracting(MigrationProgress::done).containsExactly(8L, 10L);
        assertThat(progress.get(1).total()).isEqualTo(10);
        assertThat(progress.get(1).fraction()).isEqualTo(1.0);
        assertThat(progress.get(1).eta()).isEqualTo(java.time.Duration.ZERO);
      } finally {
        dropCheckpoint(jpa);
      }
    }
  }

  @Test
  void run_secondRunOfTheSameJobMeanwhile_failsTheFirstWithRs4503() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, ON, OldCustomer.class)) {
      legacyRows(jpa, 6);
      List<MigrationReport> inner = new ArrayList<>();

      Throwable thrown = catchThrowable(() -> migration(jpa, OldCustomer.class).batchSize(2).progress(p -> {
        if (inner.isEmpty()) {
          inner.add(migration(jpa, OldCustomer.class).batchSize(2).run());
        }
      }).run());

      assertThat(thrown).isInstanceOf(MigrationException.class).hasMessageStartingWith("RS-4503");
      assertThat(inner.get(0).rewritten()).as("the second run resumed and finished the job").isEqualTo(6);
      assertThat(rows(jpa)).allMatch(r -> r.get("rowseal_sig") != null);
    }
  }

  @Test
  void of_compositeId_isRefusedWithRs4501() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, RowSignatureTest.Visit.class)) {
      assertThatThrownBy(() -> migration(jpa, RowSignatureTest.Visit.class).run())
          .isInstanceOf(MigrationException.class).hasMessageStartingWith("RS-4501")
          .hasMessageContaining("Visit").hasMessageContaining("several columns");
    }
  }

  @Test
  void builder_badOrRepeatedSettings_failAsTheyAreSet() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Account.class)) {
      RowMigration m = RowMigration.of(jpa.sessionFactory, Account.class).batchSize(10).reencryptNothing();

      assertThatThrownBy(() -> RowMigration.of(jpa.sessionFactory, Account.class).batchSize(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("batch size must be between 1 and 10000, was 0");
      assertThatThrownBy(() -> m.batchSize(20)).isInstanceOf(IllegalStateException.class)
          .hasMessage("batch size was already set to 10");
      assertThatThrownBy(() -> m.reencryptBelowVersion(2)).isInstanceOf(IllegalStateException.class)
          .hasMessage("re-encryption was already set to none");
      assertThatThrownBy(() -> m.checkpointTable("x; drop table y")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.maxRowsPerSecond(0)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
