package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.StatementTrap;
import io.rowseal.testing.StatementTrap.When;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An application that changes its keys while it writes, as its own JVM, for {@link RotationKillTest}: boots
 * {@link Account} on a {@link DurableFactory}, writes rows in transactions of ten from a writer thread
 * (printing {@code committed <last id>} after each commit), and once three have committed makes one
 * {@link KeyChange}, which stops for good at the given {@link Point} ({@code parked <point>}) for the test
 * to kill the JVM. Arguments: JDBC URL, user, table suffix, keystore file, point, first id to write.
 */
public final class RotationChild {
  private RotationChild() {}

  /** A change of keys, as an operator makes it. */
  enum KeyChange {
    /** A new branch-key version; new rows are written under it at once. */
    BRANCH_KEY_ROTATION,
    /** A new key-material version of the CMK, then a branch-key version wrapped under it. */
    CMK_ROTATION,
    /** A new domain-key generation of LocalKms: every EKT re-sealed under it, the older EDT deleted. */
    DOMAIN_KEY_ROTATION,
    /**
     * Crypto-shredding of the branch key: a new version, then every older one destroyed, oldest first.
     * The application writes nothing meanwhile (a row written under a version being destroyed would be
     * lost with it, which is what destroying it means).
     */
    BRANCH_KEY_DESTRUCTION;

    void run(DurableFactory app) {
      switch (this) {
        case BRANCH_KEY_ROTATION -> app.envelope().rotateBranchKey();
        case CMK_ROTATION -> {
          app.kms().rotateKey(app.envelope().cmkIdOf(app.envelope().activeBranchKey()).orElseThrow());
          app.envelope().rotateBranchKey();
        }
        case DOMAIN_KEY_ROTATION -> app.kms().rotateDomainKey();
        case BRANCH_KEY_DESTRUCTION -> app.envelope().destroyBranchKey("default");
      }
    }

    /** What the key state is once this change has run on {@code before}. */
    KeyState after(KeyState before) {
      return switch (this) {
        case BRANCH_KEY_ROTATION -> before.branchKeyRotated();
        case CMK_ROTATION -> before.cmkRotated().branchKeyRotated();
        case DOMAIN_KEY_ROTATION -> before.domainKeyRotated();
        case BRANCH_KEY_DESTRUCTION -> before.branchKeyRotated().olderBranchKeysDestroyed();
      };
    }

    /** Whether the application writes while the change runs. */
    boolean writesMeanwhile() {
      return this != BRANCH_KEY_DESTRUCTION;
    }
  }

  /**
   * Where a key change is killed: at a statement it runs on the database (its transaction still open, or
   * just committed), and what the key state must be after a restart — the change done as far as it
   * committed, nothing of it half there.
   */
  enum Point {
    BRANCH_KEY_HEAD_ADVANCED(KeyChange.BRANCH_KEY_ROTATION, s -> "UPDATE " + keyTable(s) + "_head SET", When.IN_TRANSACTION,
        Function.identity()),
    BRANCH_KEY_VERSION_INSERTED(KeyChange.BRANCH_KEY_ROTATION, s -> "INSERT INTO " + keyTable(s) + " (", When.IN_TRANSACTION,
        Function.identity()),
    BRANCH_KEY_VERSION_COMMITTED(KeyChange.BRANCH_KEY_ROTATION, s -> "INSERT INTO " + keyTable(s) + " (", When.AFTER_COMMIT,
        KeyState::branchKeyRotated),
    CMK_VERSION_INSERTED(KeyChange.CMK_ROTATION, s -> "INSERT INTO " + kmsTable(s, "ekt") + " VALUES", When.IN_TRANSACTION,
        Function.identity()),
    CMK_VERSION_COMMITTED(KeyChange.CMK_ROTATION, s -> "INSERT INTO " + kmsTable(s, "ekt") + " VALUES", When.AFTER_COMMIT,
        KeyState::cmkRotated),
    CMK_BRANCH_KEY_VERSION_INSERTED(KeyChange.CMK_ROTATION, s -> "INSERT INTO " + keyTable(s) + " (", When.IN_TRANSACTION,
        KeyState::cmkRotated),
    DOMAIN_TOKEN_INSERTED(KeyChange.DOMAIN_KEY_ROTATION, s -> "INSERT INTO " + kmsTable(s, "domain_token") + " VALUES",
        When.IN_TRANSACTION, Function.identity()),
    DOMAIN_FIRST_EKT_RESEALED(KeyChange.DOMAIN_KEY_ROTATION, s -> "UPDATE " + kmsTable(s, "ekt") + " SET ekt",
        When.AFTER_COMMIT, KeyState::domainKeyRotated),
    /** The second delete: a rotation first finishes any earlier one, which ends with a delete too. */
    DOMAIN_OLD_TOKEN_DELETED(KeyChange.DOMAIN_KEY_ROTATION, s -> "DELETE FROM " + kmsTable(s, "domain_token"),
        When.IN_TRANSACTION, KeyState::domainKeyRotated, 2),
    /** The key store destroys in auto-commit: the first version is destroyed for good, the others not yet. */
    DESTRUCTION_FIRST_VERSION_DESTROYED(KeyChange.BRANCH_KEY_DESTRUCTION,
        s -> "UPDATE " + keyTable(s) + " SET status = 'DESTROYED'", When.IN_TRANSACTION,
        before -> before.branchKeyRotated().oldestBranchKeyDestroyed());

    final KeyChange change;
    private final Function<String, String> statementStart;
    private final When when;
    private final Function<KeyState, KeyState> afterRestart;
    private final int occurrence;

    Point(KeyChange change, Function<String, String> statementStart, When when,
        Function<KeyState, KeyState> afterRestart) {
      this(change, statementStart, when, afterRestart, 1);
    }

    Point(KeyChange change, Function<String, String> statementStart, When when,
        Function<KeyState, KeyState> afterRestart, int occurrence) {
      this.change = change;
      this.statementStart = statementStart;
      this.when = when;
      this.afterRestart = afterRestart;
      this.occurrence = occurrence;
    }

    /** The key state a restart must find when the change was killed here, starting from {@code before}. */
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
        AtomicBoolean stop = new AtomicBoolean();
        long firstId = Long.parseLong(args[5]);
        Thread writer = new Thread(() -> write(app, firstId, writing, stop), "writer");
        writer.setDaemon(true);
        writer.start();
        writing.await();
        if (!point.change.writesMeanwhile()) {
          stop.set(true);
          writer.join();
        }
        parking.arm();
        point.change.run(app);
        System.out.println("changed the keys without stopping at " + point);
        System.exit(3);
      }
    }
  }

  private static void write(DurableFactory app, long firstId, CountDownLatch writing, AtomicBoolean stop) {
    try {
      for (long id = firstId; !stop.get(); id += 10) {
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
