package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.BranchKeyStatus;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.keystore.KeyStoreException;
import io.rowseal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.hibernate.Session;
import org.hibernate.Transaction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL ends a connection in the middle of a transaction ({@code pg_terminate_backend} from another
 * connection, as a DBA, a failover or an idle-session killer does): the application's own, while its
 * encrypted writes are flushed but not committed, and the branch-key store's, while a rotation holds its
 * transaction open. Each time the caller gets the connection's error, nothing of the transaction is
 * stored, and the next session, the next rotation and every committed row work as before.
 */
class ConnectionKillTest {

  @Test
  @DisplayName("invariant 5: the application's connection terminated mid-transaction leaves nothing of it; the next session works")
  void commit_connectionTerminatedAfterEncryptedRowsWereFlushed_failsWithTheConnectionErrorAndStoresNone() {
    try (Jpa jpa = Jpa.start(TestDatabase.POSTGRESQL, Account.class)) {
      String table = jpa.table("account");
      persist(jpa, 1, 20);

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        LongStream.rangeClosed(21, 40).forEach(id -> s.persist(new Account(id)));
        s.flush();
        terminate(jpa, s.doReturningWork(ConnectionKillTest::backendPid));
        LongStream.rangeClosed(41, 60).forEach(id -> s.persist(new Account(id)));
      }));

      SQLException e = Causes.find(thrown, SQLException.class);
      assertThat(e.getSQLState()).as("%s", e).matches("57P01|08\\d{3}");
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).as("invariant 1").doesNotContain("@example.org");
      }
      assertThat(ids(jpa, table)).containsExactlyElementsOf(range(1, 20));
      persist(jpa, 21, 60);
      assertThat(readAll(jpa)).containsExactlyElementsOf(accounts(1, 60));
    }
  }

  @Test
  @DisplayName("invariant 5: the key store's connection terminated mid-rotation stores nothing of it; open transactions, the next rotation and every row work")
  void rotateBranchKey_storeConnectionTerminatedInItsTransaction_failsWithRs3001AndStoresNoVersion() throws Exception {
    String keyTable = TestDatabase.uniqueTableName("rs_bk");
    try (Jpa jpa = Jpa.prepare(TestDatabase.POSTGRESQL)) {
      JdbcBranchKeyStore store = new JdbcBranchKeyStore(jpa.pool, keyTable);
      try (Envelope envelope = Envelope.builder().cmkProvider(jpa.kms).branchKeyStore(store).build()) {
        jpa.boot(Map.of(RowsealSettings.ENVELOPE, envelope), Account.class);
        persist(jpa, 1, 20);
        BranchKeyRef v1 = envelope.activeBranchKey();

        // An application transaction is open, with rows flushed under version 1, during the whole rotation.
        try (Session app = jpa.sessionFactory.openSession(); Connection dba = jpa.pool.getConnection()) {
          Transaction open = app.beginTransaction();
          LongStream.rangeClosed(21, 40).forEach(id -> app.persist(new Account(id)));
          app.flush();

          dba.setAutoCommit(false);
          try (PreparedStatement lock = dba.prepareStatement(
              "select max_version from " + keyTable + "_head where key_id = 'default' for update")) {
            lock.executeQuery().close();
          }
          CompletableFuture<BranchKeyRef> rotation = CompletableFuture.supplyAsync(envelope::rotateBranchKey);
          terminate(jpa, blockedOn(jpa, "UPDATE " + keyTable + "_head", rotation));
          dba.rollback();

          Throwable thrown = catchThrowable(() -> rotation.get(1, TimeUnit.MINUTES));
          KeyStoreException e = Causes.find(thrown, KeyStoreException.class);
          assertThat(e.code()).isEqualTo("RS-3001");
          assertThat(e).hasMessageContaining("table " + keyTable).hasMessageContaining("rotating key id 'default'")
              .hasMessageMatching("(?s).*SQL state (57P01|08\\d{3}).*");
          assertThat(store.versions("default")).extracting(BranchKeyRecord::ref, BranchKeyRecord::status)
              .containsExactly(org.assertj.core.groups.Tuple.tuple(v1, BranchKeyStatus.ACTIVE));
          assertThat(jpa.raw("select active_version, max_version from " + keyTable + "_head"))
              .containsExactly(Map.of("active_version", 1, "max_version", 1));

          open.commit();
        }

        assertThat(envelope.rotateBranchKey()).isEqualTo(new BranchKeyRef("default", 2));
        persist(jpa, 41, 60);
        List<Map<String, Object>> rows = jpa.raw("select id, email from " + jpa.table("account") + " order by id");
        assertThat(rows).extracting(r -> String.valueOf(Envelope.branchKeyOf((byte[]) r.get("email"))))
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).mapToObj(id -> id <= 40 ? "default#1" : "default#2")
                .toList());
        assertThat(readAll(jpa)).containsExactlyElementsOf(accounts(1, 60));
      } finally {
        jpa.rawUpdate("drop table if exists " + keyTable);
        jpa.rawUpdate("drop table if exists " + keyTable + "_head");
      }
    }
  }

  private static void persist(Jpa jpa, long from, long to) {
    jpa.inTransaction(s -> LongStream.rangeClosed(from, to).forEach(id -> s.persist(new Account(id))));
  }

  private static List<Account> readAll(Jpa jpa) {
    return jpa.fromTransaction(s -> s.createQuery("from Account order by id", Account.class).getResultList());
  }

  private static List<Account> accounts(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(Account::new).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<Long> ids(Jpa jpa, String table) {
    return jpa.raw("select id from " + table + " order by id").stream()
        .map(r -> ((Number) r.get("id")).longValue()).toList();
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Ends backend {@code pid} from a connection of its own, as a DBA would. */
  static void terminate(Jpa jpa, int pid) {
    assertThat(jpa.raw("select pg_terminate_backend(" + pid + ") as ended")).containsExactly(Map.of("ended", true));
  }

  /**
   * The backend whose statement starting with {@code statement} waits for a lock, once it does; fails if
   * {@code work} ends first or nothing waits within a minute.
   */
  private static int blockedOn(Jpa jpa, String statement, CompletableFuture<?> work) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(work).as("the rotation ended before it waited for the lock").isNotDone();
      List<Map<String, Object>> waiting = jpa.raw("select pid from pg_stat_activity where wait_event_type = 'Lock'"
          + " and query like '" + statement + "%'");
      if (!waiting.isEmpty()) {
        return ((Number) waiting.get(0).get("pid")).intValue();
      }
    }
    throw new AssertionError("no backend waited on " + statement + " within a minute");
  }
}
