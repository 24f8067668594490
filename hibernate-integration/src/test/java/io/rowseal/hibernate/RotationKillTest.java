package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.RotationChild.Point;
import io.rowseal.hibernate.RotationChild.KeyChange;
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
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kill -9} of an application JVM in the middle of a key rotation — branch key, CMK, LocalKms domain
 * key — while it writes rows, and of a crypto-shredding of the branch key, at each {@link Point} of the
 * change in turn: a statement of it executed with its transaction still open, or just committed. After
 * each kill the application restarts (here, in the test's JVM) on the same database and keystore, and
 * then every row ever committed reads back as written — except, exactly, the rows under a destroyed
 * version, which fail with {@code RS-4202} —, no row is half there, the keys are whole
 * ({@link KeyState#read}) and the change is either done or cleanly not done, as far as it had committed;
 * run again, it completes. On PostgreSQL and on an H2 file database (killed with its file open).
 *
 * <p>By default (CI) each point runs on one of the two databases, in turn, and every change on both: 11
 * kills; {@code -Drowseal.faults.all-points=true} runs every point on both (20 kills, about twice the time).
 */
class RotationKillTest {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final boolean ALL_POINTS = Boolean.getBoolean("rowseal.faults.all-points");
  /** The children live for seconds: the C1 compiler alone and the serial collector halve their CPU time. */
  private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** Where the application's tables and LocalKms state live. */
  enum Database {
    POSTGRESQL, H2_FILE;

    String url(Path dir) {
      return this == POSTGRESQL ? TestDatabase.POSTGRESQL.url() : "jdbc:h2:file:" + dir.resolve("app").toAbsolutePath()
          // Each commit reaches the file at once: with H2's default of 500 ms, a kill loses the last commits.
          + ";WRITE_DELAY=0";
    }

    String user() {
      return this == POSTGRESQL ? TestDatabase.POSTGRESQL.user() : "sa";
    }

    HikariDataSource pool(Path dir) {
      if (this == POSTGRESQL) {
        return TestDatabase.POSTGRESQL.dataSource();
      }
      HikariDataSource pool = new HikariDataSource();
      pool.setJdbcUrl(url(dir));
      pool.setUsername(user());
      pool.setMaximumPoolSize(4);
      return pool;
    }
  }

  static Stream<Arguments> databasesAndKeyChanges() {
    return Stream.of(Database.values()).flatMap(db -> Stream.of(KeyChange.values()).map(c -> Arguments.of(db, c)));
  }

  @ParameterizedTest(name = "invariants 6 and 7: kill -9 during {1} on {0}, at each kill point: every row reads"
      + " unless its key was destroyed, the change is done or cleanly not, and runs again")
  @MethodSource("databasesAndKeyChanges")
  void keyChange_killedAtEachPointThenRestarted_exactlyTheLiveRowsReadAndTheChangeIsWholeAndReruns(Database db,
      KeyChange change, @TempDir Path dir) throws SQLException {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Path keystore = dir.resolve("localkms.p12");
    try {
      long rows;
      KeyState state;
      try (HikariDataSource pool = db.pool(dir);
          DurableFactory app = DurableFactory.open(pool, suffix, keystore, true, Account.class)) {
        app.envelope().activeBranchKey();
        rows = write(app, 1, 50);
        if (change == KeyChange.DOMAIN_KEY_ROTATION) {
          // Several EKTs, so that a domain-key rotation can be killed between two re-seals.
          KeyChange.CMK_ROTATION.run(app);
          KeyChange.CMK_ROTATION.run(app);
        }
        if (change == KeyChange.BRANCH_KEY_DESTRUCTION) {
          // Rows under several versions, so that a destruction can be killed between two of them.
          KeyChange.BRANCH_KEY_ROTATION.run(app);
          rows = write(app, rows + 1, 50);
          KeyChange.BRANCH_KEY_ROTATION.run(app);
        }
        state = KeyState.read(pool, suffix);
      }
      List<String> report = new ArrayList<>();
      List<Point> points = Stream.of(Point.values()).filter(p -> p.change == change).toList();
      for (int i = 0; i < points.size(); i++) {
        Point point = points.get(i);
        if (!ALL_POINTS && points.size() > 1 && (i + change.ordinal()) % 2 != db.ordinal()) {
          continue;
        }
        long committed;
        try (ForkedJvm child = ForkedJvm.start(dir, point.name(), QUICK_START, RotationChild.class, db.url(dir), db.user(),
            suffix, keystore.toString(), point.name(), String.valueOf(rows + 1))) {
          List<String> out = new ArrayList<>(child.linesUntil(("parked " + point)::equals, PATIENCE));
          if (change.writesMeanwhile()) {
            // The application keeps writing while the change stands still: the kill lands among its writes.
            out.addAll(child.linesUntil(line -> line.startsWith("committed "), PATIENCE));
          }
          out.addAll(child.kill());
          assertThat(child.exitCode()).as("killed, stderr: %s", child.stderr()).isEqualTo(137);
          committed = out.stream().filter(line -> line.startsWith("committed "))
              .mapToLong(line -> Long.parseLong(line.substring("committed ".length()))).max().orElseThrow();
        }
        try (HikariDataSource pool = db.pool(dir);
            DurableFactory app = DurableFactory.open(pool, suffix, keystore, false, Account.class)) {
          KeyState restarted = KeyState.read(pool, suffix);
          assertThat(restarted).as("after a kill at %s", point).isEqualTo(point.afterRestart(state));
          long present = verifyRows(pool, app, suffix, committed, restarted.destroyedBranchKeyVersions());

          change.run(app);
          state = KeyState.read(pool, suffix);
          assertThat(state).as("%s run again after the kill at %s", change, point).isEqualTo(change.after(restarted));
          rows = write(app, present + 1, 10);
          verifyRows(pool, app, suffix, rows, state.destroyedBranchKeyVersions());
          report.add(point + ": " + committed + " rows committed when killed, " + present + " present");
        }
      }
      System.out.printf("%s on %s: %s%n", change, db, report);
    } finally {
      if (db == Database.POSTGRESQL) {
        try (HikariDataSource pool = db.pool(dir)) {
          TestDatabase.dropTablesNamedWith(pool, suffix);
        }
      }
    }
  }

  /** Writes rows {@code from} to {@code from + count - 1} in one transaction; returns the last id. */
  private static long write(DurableFactory app, long from, int count) {
    app.factory().inTransaction(s -> {
      for (long id = from; id < from + count; id++) {
        s.persist(new Account(id));
      }
    });
    return from + count - 1;
  }

  /**
   * Checks every row of the table: ids 1 to n without a gap, n at least {@code committed} (a commit the
   * JVM did not live to print may add some), every encrypted value a rowseal value and every row signed
   * (nothing plaintext, nothing half-written), each row under branch-key versions 1 to {@code destroyed}
   * failing to load with {@code RS-4202} and every other row reading back as it was written. Returns n.
   */
  private static long verifyRows(HikariDataSource pool, DurableFactory app, String suffix, long committed,
      int destroyed) throws SQLException {
    List<String> problems = new ArrayList<>();
    List<Long> live = new ArrayList<>();
    List<Long> shredded = new ArrayList<>();
    long n = 0;
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, email, birth, balance, rowseal_sig from account_" + suffix
            + " order by id")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        if (id != ++n) {
          problems.add("row " + id + " where row " + n + " was due");
          n = id;
        }
        for (int column = 2; column <= 4; column++) {
          if (!Envelope.isValue(rs.getBytes(column))) {
            problems.add("row " + id + " column " + column + " is not a rowseal value");
          }
        }
        if (rs.getBytes(5) == null) {
          problems.add("row " + id + " has no footer");
        }
        (Envelope.branchKeyOf(rs.getBytes(2)).version() <= destroyed ? shredded : live).add(id);
      }
    }
    assertThat(n).as("rows present").isGreaterThanOrEqualTo(committed);
    for (int from = 0; from < live.size(); from += 1000) {
      List<Long> ids = live.subList(from, Math.min(from + 1000, live.size()));
      List<Account> page = app.factory().fromTransaction(s -> s.createQuery("from Account where id in :ids",
          Account.class).setParameter("ids", ids).getResultList());
      assertThat(page).as("live rows %s to %s", ids.get(0), ids.get(ids.size() - 1)).hasSameSizeAs(ids);
      for (Account a : page) {
        if (!a.equals(new Account(a.id))) {
          problems.add("row " + a.id + " reads differently from what was written");
        }
      }
    }
    for (long id : shredded) {
      Throwable thrown = catchThrowable(() -> app.factory().fromTransaction(s -> s.find(Account.class, id)));
      if (thrown == null) {
        problems.add("row " + id + " reads although its branch key was destroyed");
      } else if (!Causes.find(thrown, EncryptedReadException.class).code().equals("RS-4202")) {
        problems.add("row " + id + " fails with " + thrown + ", not RS-4202");
      }
    }
    assertThat(problems).isEmpty();
    return n;
  }
}
