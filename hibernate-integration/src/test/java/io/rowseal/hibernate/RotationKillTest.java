package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.RotationChild.Point;
import io.rowseal.hibernate.RotationChild.Rotation;
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
 * key — while it writes rows, at each {@link Point} of the rotation in turn: a statement of the rotation
 * executed with its transaction still open, or just committed. After each kill the application restarts
 * (here, in the test's JVM) on the same database and keystore, and then every row ever committed reads
 * back as written, no row is half there, the keys are whole ({@link KeyState#read}) and the rotation is
 * either done or cleanly not done, as far as it had committed; run again, it completes. On PostgreSQL
 * and on an H2 file database (killed with its file open).
 */
class RotationKillTest {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
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

  static Stream<Arguments> databasesAndRotations() {
    return Stream.of(Database.values()).flatMap(db -> Stream.of(Rotation.values()).map(r -> Arguments.of(db, r)));
  }

  @ParameterizedTest(name = "invariant 6: kill -9 during a {1} rotation on {0}, at each kill point: every row reads,"
      + " the rotation is done or cleanly not, and runs again")
  @MethodSource("databasesAndRotations")
  void rotation_killedAtEachPointWhileWritingThenRestarted_everyRowReadsAndRotationIsWholeAndReruns(Database db,
      Rotation rotation, @TempDir Path dir) throws SQLException {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Path keystore = dir.resolve("localkms.p12");
    try {
      long rows;
      KeyState state;
      try (HikariDataSource pool = db.pool(dir);
          DurableFactory app = DurableFactory.open(pool, suffix, keystore, true, Account.class)) {
        app.envelope().activeBranchKey();
        if (rotation == Rotation.DOMAIN_KEY) {
          // Several EKTs, so that a domain-key rotation can be killed between two re-seals.
          Rotation.CMK.run(app);
          Rotation.CMK.run(app);
        }
        rows = write(app, 1, 50);
        state = KeyState.read(pool, suffix);
      }
      List<String> report = new ArrayList<>();
      for (Point point : Point.values()) {
        if (point.rotation != rotation) {
          continue;
        }
        long committed;
        try (ForkedJvm child = ForkedJvm.start(dir, point.name(), QUICK_START, RotationChild.class, db.url(dir), db.user(),
            suffix, keystore.toString(), point.name(), String.valueOf(rows + 1))) {
          List<String> out = new ArrayList<>(child.linesUntil(("parked " + point)::equals, PATIENCE));
          // The application keeps writing while the rotation stands still: the kill lands among its writes.
          out.addAll(child.linesUntil(line -> line.startsWith("committed "), PATIENCE));
          out.addAll(child.kill());
          assertThat(child.exitCode()).as("killed, stderr: %s", child.stderr()).isEqualTo(137);
          committed = out.stream().filter(line -> line.startsWith("committed "))
              .mapToLong(line -> Long.parseLong(line.substring("committed ".length()))).max().orElseThrow();
        }
        try (HikariDataSource pool = db.pool(dir);
            DurableFactory app = DurableFactory.open(pool, suffix, keystore, false, Account.class)) {
          long present = verifyRows(pool, app, suffix, committed);
          KeyState restarted = KeyState.read(pool, suffix);
          assertThat(restarted).as("after a kill at %s", point).isEqualTo(point.afterRestart(state));

          rotation.run(app);
          state = KeyState.read(pool, suffix);
          assertThat(state).as("%s run again after the kill at %s", rotation, point)
              .isEqualTo(rotation.after(restarted));
          rows = write(app, present + 1, 10);
          verifyRows(pool, app, suffix, rows);
          report.add(point + ": " + committed + " rows committed when killed, " + present + " present");
        }
      }
      System.out.printf("%s on %s: %s%n", rotation, db, report);
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
   * (nothing plaintext, nothing half-written), and each row reading back as it was written. Returns n.
   */
  private static long verifyRows(HikariDataSource pool, DurableFactory app, String suffix, long committed)
      throws SQLException {
    List<String> problems = new ArrayList<>();
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
      }
    }
    assertThat(n).as("rows present").isGreaterThanOrEqualTo(committed);
    for (long from = 1; from <= n; from += 2000) {
      long lo = from;
      List<Account> page = app.factory().fromTransaction(s -> s.createQuery(
          "from Account where id >= :lo and id < :hi order by id", Account.class)
          .setParameter("lo", lo).setParameter("hi", lo + 2000).getResultList());
      for (Account a : page) {
        if (!a.equals(new Account(a.id))) {
          problems.add("row " + a.id + " reads differently from what was written");
        }
      }
    }
    assertThat(problems).isEmpty();
    return n;
  }
}
