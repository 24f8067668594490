package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.StatementTrap;
import io.rowseal.testing.StatementTrap.When;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * An application that rotates a key while it writes, as its own JVM, for {@link RotationKillTest}: boots
 * {@link Account} on a {@link DurableFactory}, writes rows in transactions of ten from a writer thread
 * (printing {@code committed <last id>} after each commit), and once three have committed runs one
 * {@link Rotation}, which stops for good at the given {@link Point} ({@code parked <point>}) for the test to
 * kill the JVM. Arguments: JDBC URL, user, table suffix, keystore file, point, first id to write.
 */
public final class RotationChild {
  private RotationChild() {}

  /** A key rotation, as an operator runs it. */
  enum Rotation {
    /** A new branch-key version; new rows are written under it at once. */
    BRANCH_KEY,
    /** A new key-material version of the CMK, then a branch-key version wrapped under it. */
    CMK,
    /** A new domain-key generation of LocalKms: every EKT re-sealed under it, the older EDT deleted. */
    DOMAIN_KEY;

    void run(DurableFactory app) {
      switch (this) {
        case BRANCH_KEY -> app.envelope().rotateBranchKey();
        case CMK -> {
          app.kms().rotateKey(app.envelope().cmkIdOf(app.envelope().activeBranchKey()).orElseThrow());
          app.envelope().rotateBranchKey();
        }
        case DOMAIN_KEY -> app.kms().rotateDomainKey();
      }
    }

    /** What the key state is once this rotation has run on {@code before}. */
    KeyState after(KeyState before) {
      return switch (this) {
        case BRANCH_KEY -> before.branchKeyRotated();
        case CMK -> before.cmkRotated().branchKeyRotated();
        case DOMAIN_KEY -> before.domainKeyRotated();
      };
    }
  }

  /**
   * Where a rotation is killed: at a statement it runs on the database (its transaction still open, or
   * just committed), and what the key state must be after a restart — the rotation done as far as it
   * committed, nothing of it half there.
   */
  enum Point {
    BRANCH_KEY_HEAD_ADVANCED(Rotation.BRANCH_KEY, s -> "UPDATE " + keyTable(s) + "_head SET", When.IN_TRANSACTION,
        Function.identity()),
    BRANCH_KEY_VERSION_INSERTED(Rotation.BRANCH_KEY, s -> "INSERT INTO " + keyTable(s) + " (", When.IN_TRANSACTION,
        Function.identity()),
    BRANCH_KEY_VERSION_COMMITTED(Rotation.BRANCH_KEY, s -> "INSERT INTO " + keyTable(s) + " (", When.AFTER_COMMIT,
        KeyState::branchKeyRotated),
    CMK_VERSION_INSERTED(Rotation.CMK, s -> "INSERT INTO " + kmsTable(s, "ekt") + " VALUES", When.IN_TRANSACTION,
        Function.identity()),
    CMK_VERSION_COMMITTED(Rotation.CMK, s -> "INSERT INTO " + kmsTable(s, "ekt") + " VALUES", When.AFTER_COMMIT,
        KeyState::cmkRotated),
    CMK_BRANCH_KEY_VERSION_INSERTED(Rotation.CMK, s -> "INSERT INTO " + keyTable(s) + " (", When.IN_TRANSACTION,
        KeyState::cmkRotated),
    DOMAIN_TOKEN_INSERTED(Rotation.DOMAIN_KEY, s -> "INSERT INTO " + kmsTable(s, "domain_token") + " VALUES",
        When.IN_TRANSACTION, Function.identity()),
    DOMAIN_FIRST_EKT_RESEALED(Rotation.DOMAIN_KEY, s -> "UPDATE " + kmsTable(s, "ekt") + " SET ekt",
        When.AFTER_COMMIT, KeyState::domainKeyRotated),
    /** The second delete: a rotation first finishes any earlier one, which ends with a delete too. */
    DOMAIN_OLD_TOKEN_DELETED(Rotation.DOMAIN_KEY, s -> "DELETE FROM " + kmsTable(s, "domain_token"),
        When.IN_TRANSACTION, KeyState::domainKeyRotated, 2);

    final Rotation rotation;
    private final Function<String, String> statementStart;
    private final When when;
    private final Function<KeyState, KeyState> afterRestart;
    private final int occurrence;

    Point(Rotation rotation, Function<String, String> statementStart, When when,
        Function<KeyState, KeyState> afterRestart) {
      this(rotation, statementStart, when, afterRestart, 1);
    }

    Point(Rotation rotation, Function<String, String> statementStart, When when,
        Function<KeyState, KeyState> afterRestart, int occurrence) {
      this.rotation = rotation;
      this.statementStart = statementStart;
      this.when = when;
      this.afterRestart = afterRestart;
      this.occurrence = occurrence;
    }

    /** The key state a restart must find when the rotation was killed here, starting from {@code before}. */
    KeyState afterRestart(KeyState before) {
      return afterRestart.apply(before);
    }

    /** A trap that stops the thread here for good, printing {@code parked <point>}. */
    StatementTrap parking(String suffix) {
      return new StatementTrap(statementStart.apply(suffix), when, occurrence, StatementTrap.park(name()));
    }

    private static String keyTable(String suffix) {
      return DurableFactory.keyStoreTable(suffix);
    }

    private static String kmsTable(String suffix, String table) {
      return DurableFactory.kmsTablePrefix(suffix) + table;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Point point = Point.valueOf(args[4]);
    StatementTrap parking = point.parking(args[2]);
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(args[0]);
      pool.setUsername(args[1]);
      pool.setMaximumPoolSize(4);
      try (DurableFactory app = DurableFactory.open(parking.wrap(pool), args[2], Path.of(args[3]), false,
          Account.class)) {
        CountDownLatch writing = new CountDownLatch(3);
        long firstId = Long.parseLong(args[5]);
        Thread writer = new Thread(() -> write(app, firstId, writing), "writer");
        writer.setDaemon(true);
        writer.start();
        writing.await();
        parking.arm();
        point.rotation.run(app);
        System.out.println("rotated without stopping at " + point);
        System.exit(3);
      }
    }
  }

  private static void write(DurableFactory app, long firstId, CountDownLatch writing) {
    try {
      for (long id = firstId; ; id += 10) {
        long from = id;
        app.factory().inTransaction(s -> {
          for (long k = from; k < from + 10; k++) {
            s.persist(new Account(k));
          }
        });
        System.out.println("committed " + (id + 9));
        writing.countDown();
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(2);
    }
  }
}
