package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.envelope.Envelope;
import io.rowseal.testing.ForkedJvm;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job's JVM is killed ({@code kill -9}: {@link Process#destroyForcibly()}) at random points after it
 * reported progress, several times, then run to the end. After every kill the table and the checkpoint
 * agree exactly — every row up to the checkpoint's last id is encrypted and signed, every row after it is
 * untouched legacy plaintext, no row half-written — and the finished job rewrote each row exactly once.
 * On PostgreSQL and MariaDB, since the JVMs share the database.
 */
class RowMigrationKillTest {
  private static final int ROWS = 2000;
  private static final int BATCH = 25;
  private static final int KILLS = 3;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void run_killedAtRandomPointsThenRestarted_finishesWithNothingLostDoubledOrHalfWritten(TestDatabase db,
      @TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String table = "old_customer_" + suffix;
    Path keystore = dir.resolve("localkms.p12");
    try (HikariDataSource pool = db.dataSource()) {
      try {
        try (SessionFactory f = MigrationChild.boot(pool, suffix, keystore, true)) {
          // The branch key exists before any job JVM starts: none is killed while creating it.
          RowSignatures.of(f.unwrap(SessionFactoryImplementor.class)).envelope().activeBranchKey();
        }
        RowMigrationConcurrencyTest.insertLegacy(pool, table, ROWS);
        List<Long> killedAt = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
          int progressLines = 1 + random.nextInt(4);
          int[] seen = {0};
          try (ForkedJvm job = start(db, dir, suffix, kill)) {
            job.linesUntil(line -> line.startsWith("progress ") && ++seen[0] == progressLines, Duration.ofMinutes(2));
            job.kill();
            assertThat(job.exitCode()).as("seed %s, stderr: %s", seed, job.stderr()).isIn(0, 137);
          }
          killedAt.add(consistent(pool, table, suffix));
        }
        try (ForkedJvm last = start(db, dir, suffix, KILLS)) {
          List<String> output = last.awaitSuccess(Duration.ofMinutes(2));
          assertThat(output).as("seed %s", seed).anyMatch(line -> line.startsWith("done MigrationReport(OldCustomer: "
              + ROWS + " examined, " + ROWS + " rewritten, 0 already current, 0 changed concurrently, 0 failed"));
        }
        assertThat(consistent(pool, table, suffix)).isEqualTo(ROWS);
        System.out.printf("killed after rows %s (seed %d); the last run finished%n", killedAt, seed);
        assertThat(killedAt).as("killed at least once before the end (seed %s)", seed).anyMatch(n -> n < ROWS);
        try (SessionFactory f = MigrationChild.boot(pool, suffix, keystore, false)) {
          List<OldCustomer> all = f.fromTransaction(s -> s.createQuery("from OldCustomer order by id",
              OldCustomer.class).getResultList());
          assertThat(all).hasSize(ROWS);
          assertThat(all).allMatch(c -> c.email.equals("user" + c.id + "@example.org") && c.score == c.id.intValue());
          assertThat(LegacyPlaintext.of(f.unwrap(SessionFactoryImplementor.class)).reads()).isEmpty();
        }
      } finally {
        TestDatabase.dropTablesNamedWith(pool, suffix);
      }
    }
  }

  private static ForkedJvm start(TestDatabase db, Path dir, String suffix, int run) {
    // A job JVM lives seconds: the C1 compiler alone and the serial collector start it in half the time
    // (measured on 2 cores: about 4 s to the first batch instead of 9-13 s), which is most of this test's cost.
    return ForkedJvm.start(dir, "job-" + run, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
        MigrationChild.class, db.url(), db.user(), suffix, dir.resolve("localkms.p12").toString(),
        String.valueOf(BATCH));
  }

  /**
   * Checks that the table and the checkpoint agree: rows up to its last id encrypted and signed, rows
   * after it legacy, counts equal to that id (every row needed work, rewritten once). Returns the last id.
   */
  private static long consistent(HikariDataSource pool, String table, String suffix) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      long lastId = 0;
      try (ResultSet rs = s.executeQuery("select last_id, examined, rewritten from rs_mig_" + suffix)) {
        if (rs.next()) {
          lastId = rs.getString(1) == null ? 0 : Long.parseLong(rs.getString(1));
          assertThat(rs.getLong(2)).as("examined").isEqualTo(lastId);
          assertThat(rs.getLong(3)).as("rewritten").isEqualTo(lastId);
        }
      }
      List<String> problems = new ArrayList<>();
      int count = 0;
      try (ResultSet rs = s.executeQuery("select id, email, birth, tier, score, balance, rowseal_sig from "
          + table + " order by id")) {
        while (rs.next()) {
          count++;
          long id = rs.getLong(1);
          boolean done = id <= lastId;
          for (int col = 2; col <= 6; col++) {
            if (Envelope.isValue(rs.getBytes(col)) != done) {
              problems.add("row " + id + " column " + col + (done ? " is not encrypted" : " is encrypted"));
            }
          }
          if ((rs.getBytes(7) != null) != done) {
            problems.add("row " + id + (done ? " has no footer" : " has a footer"));
          }
        }
      }
      assertThat(count).isEqualTo(ROWS);
      assertThat(problems).as("checkpoint at %s", lastId).isEmpty();
      return lastId;
    }
  }
}
