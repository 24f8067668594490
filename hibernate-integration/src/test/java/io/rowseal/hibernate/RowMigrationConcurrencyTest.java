package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job runs while the application writes: four application threads update random rows of a legacy
 * table on PostgreSQL and on MariaDB for the whole run. Afterwards no row is lost or reverted, no plaintext is left,
 * every row is signed and reads back as the application last wrote it.
 *
 * <p>Rows: {@value #CI_ROWS} by default (CI); the long run is
 * {@code mvn -pl hibernate-integration test -Dtest=RowMigrationConcurrencyTest -Drowseal.migration.rows=100000}
 * (docs/MIGRATION.md has its run time).
 */
class RowMigrationConcurrencyTest {
  static final int CI_ROWS = 10_000;
  private static final int THREADS = 4;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void run_whileFourThreadsUpdateRandomRows_losesNothingAndLeavesNoPlaintext(TestDatabase db) throws Exception {
    int rows = Integer.getInteger("rowseal.migration.rows", CI_ROWS);
    try (Jpa jpa = Jpa.start(db, TransitionReadsTest.ON, OldCustomer.class)) {
      String table = jpa.table("old_customer");
      insertLegacy(jpa.pool, table, rows);
      // Each thread owns the ids congruent to its number, so the last write of each row is known exactly.
      AtomicReferenceArray<String> expected = new AtomicReferenceArray<>(rows + 1);
      for (int id = 1; id <= rows; id++) {
        expected.set(id, "user" + id + "@example.org");
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      CountDownLatch writing = new CountDownLatch(THREADS * 50);
      List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Thread> app = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        app.add(new Thread(() -> {
          try {
            for (long k = 0; !stop.get(); k++) {
              long id = THREADS * ThreadLocalRandom.current().nextLong(1, rows / THREADS) + thread;
              String email = "t" + thread + "-" + k + "@example.org";
              int score = (int) k;
              jpa.inTransaction(s -> {
                OldCustomer c = s.find(OldCustomer.class, id);
                c.email = email;
                c.score = score;
              });
              expected.set((int) id, email);
              writes.incrementAndGet();
              writing.countDown();
            }
          } catch (Throwable e) {
            errors.add(e);
            while (writing.getCount() > 0) {
              writing.countDown();
            }
          }
        }, "app-" + t));
      }
      app.forEach(Thread::start);
      String checkpoint = jpa.table("rs_mig");
      long start = System.nanoTime();
      MigrationReport report;
      try {
        report = RowMigration.of(jpa.sessionFactory, OldCustomer.class).checkpointTable(checkpoint).batchSize(500)
            .progress(p -> {
              // The application has been writing before the job's first batch commits.
              awaitQuietly(writing);
            }).run();
      } finally {
        stop.set(true);
        for (Thread t : app) {
          t.join(TimeUnit.MINUTES.toMillis(2));
        }
        jpa.rawUpdate("drop table if exists " + checkpoint);
        jpa.rawUpdate("drop table if exists " + checkpoint + "_failed");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("%s: migration of %d rows with %d application writes meanwhile: %d ms, %s%n", db, rows,
          writes.get(), millis, report);

      assertThat(errors).isEmpty();
      assertThat(writes.get()).isGreaterThanOrEqualTo(THREADS * 50);
      assertThat(report.failedIds()).isEmpty();
      assertThat(report.examined()).isEqualTo(rows);
      List<String> problems = new ArrayList<>();
      try (Connection c = jpa.pool.getConnection(); PreparedStatement ps = c.prepareStatement(
          "select id, email, tier, birth, rowseal_sig from " + table + " order by id");
          ResultSet rs = ps.executeQuery()) {
        int count = 0;
        while (rs.next()) {
          count++;
          for (int col = 2; col <= 4; col++) {
            if (!Envelope.isValue(rs.getBytes(col))) {
              problems.add("row " + rs.getLong(1) + " column " + col + " is not a rowseal value");
            }
          }
          if (rs.getBytes(5) == null) {
            problems.add("row " + rs.getLong(1) + " has no footer");
          }
        }
        assertThat(count).as("rows").isEqualTo(rows);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
      for (int from = 1; from <= rows; from += 5000) {
        long lo = from;
        List<OldCustomer> page = jpa.fromTransaction(s -> s.createQuery(
            "from OldCustomer where id >= :lo and id < :hi order by id", OldCustomer.class)
            .setParameter("lo", lo).setParameter("hi", lo + 5000).getResultList());
        for (OldCustomer c : page) {
          if (!expected.get(c.id.intValue()).equals(c.email)) {
            problems.add("row " + c.id + " reads " + c.email + ", the application last wrote "
                + expected.get(c.id.intValue()));
          }
        }
      }
      assertThat(problems).isEmpty();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(2, TimeUnit.MINUTES)) {
        throw new AssertionError("the application threads never wrote");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Inserts rows 1 to {@code rows} as the legacy application wrote them (plaintext, no footer). */
  static void insertLegacy(javax.sql.DataSource pool, String table, int rows) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("insert into "
        + table + " (id, name, email, birth, tier, score, balance) values (?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (long id = 1; id <= rows; id++) {
        ps.setLong(1, id);
        ps.setString(2, "name-" + id);
        ps.setBytes(3, utf8("user" + id + "@example.org"));
        ps.setBytes(4, utf8("1980-02-29"));
        ps.setBytes(5, utf8("SILVER"));
        ps.setBytes(6, utf8(String.valueOf(id)));
        ps.setBytes(7, utf8("12.50"));
        ps.addBatch();
        if (id % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
