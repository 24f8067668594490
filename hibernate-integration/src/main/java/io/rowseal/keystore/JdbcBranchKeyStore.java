package io.rowseal.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link BranchKeyStore} in two tables of an SQL database reached through a {@link DataSource}
 * (HikariCP in production). Tested on H2 2.x, PostgreSQL 15 and MariaDB 10.11; the product is read
 * from {@code DatabaseMetaData} to pick the binary column type. The tables are created at
 * construction when absent: {@code <table>} holds one row per key id and version
 * ({@code key_id, key_version, status, cmk_id, wrapped_key, created_at_ms}), {@code <table>_head}
 * one row per key id ({@code key_id, active_version, max_version}).
 *
 * <h2>Why concurrent rotations are safe</h2>
 * Every writer of a key id must pass its head row. A rotation reads the head (max version
 * {@code m}), has the new key wrapped for {@code m + 1} outside any transaction (a KMS call may be
 * slow; no lock is held meanwhile), then in one transaction: compare-and-sets the head
 * ({@code UPDATE ... SET max_version = m + 1 ... WHERE key_id = ? AND max_version = m}), demotes
 * the old ACTIVE row, inserts row {@code m + 1} as ACTIVE and commits. A CAS that matches no row
 * lost to another writer: roll back, re-read, re-wrap for the new number, try again.
 *
 * <p>This holds under READ COMMITTED and REPEATABLE READ alike, because an UPDATE's WHERE clause is
 * not evaluated on the transaction's snapshot but on the newest committed row under its write lock:
 * PostgreSQL re-checks it after waiting for a concurrent writer, InnoDB executes UPDATE as a locking
 * "current read", H2 locks and re-reads the row. As {@code max_version} only grows, a matching CAS
 * proves that no rotation committed since the read, and the lock it takes holds every other writer
 * of the key id off until commit: one ACTIVE row, no version number used twice. Each attempt is a
 * fresh transaction, so a REPEATABLE READ snapshot never goes stale across retries; stricter levels
 * that report the conflict as a serialization failure or deadlock (SQL state class 40) are retried
 * the same way. Version 1 is created by inserting the head row: its primary key makes a concurrent
 * creator fail with a unique violation (class 23) and retry, finding the winner's version.
 * Readers issue single statements, each of which sees one committed state.
 *
 * <p>{@link #destroy} sets the wrapped key to NULL; the database may keep the old bytes in MVCC
 * versions, logs and backups until it purges them. Thread-safe; holds no connection between calls.
 */
public final class JdbcBranchKeyStore implements BranchKeyStore {
  static final int DEFAULT_MAX_ATTEMPTS = 32;

  private final DataSource dataSource;
  private final KeyStoreSql sql;
  private final int maxAttempts;

  /** A store in the default table {@code rowseal_branch_keys}, created when absent. */
  public JdbcBranchKeyStore(DataSource dataSource) {
    this(dataSource, KeyStoreSql.DEFAULT_TABLE);
  }

  /**
   * A store in {@code tableName} (and {@code tableName_head}), created when absent.
   *
   * @throws IllegalArgumentException if the name is not a plain SQL identifier
   * @throws KeyStoreException if the database cannot be reached or the tables cannot be created
   */
  public JdbcBranchKeyStore(DataSource dataSource, String tableName) {
    this(dataSource, tableName, DEFAULT_MAX_ATTEMPTS);
  }

  JdbcBranchKeyStore(DataSource dataSource, String tableName, int maxAttempts) {
    KeyStoreSql.checkTableName(tableName);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be 1 or more, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.sql = KeyStoreSql.openTables(dataSource, tableName);
  }

  @Override
  public Optional<BranchKeyRecord> findActive(String keyId) {
    BranchKeyRef.checkKeyId(keyId);
    return read(keyId, () -> queryActive(keyId));
  }

  @Override
  public Optional<BranchKeyRecord> find(BranchKeyRef ref) {
    Objects.requireNonNull(ref, "ref");
    return read(ref.keyId(), () -> queryOne(ref));
  }

  @Override
  public List<BranchKeyRecord> versions(String keyId) {
    BranchKeyRef.checkKeyId(keyId);
    return read(keyId, () -> query(sql.selectVersions, keyId));
  }

  @Override
  public BranchKeyRecord createIfAbsent(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey) {
    checkWriteArguments(keyId, cmkId, wrapNewKey);
    return retrying(keyId, "creating", () -> {
      Optional<BranchKeyRecord> active = queryActive(keyId);
      return active.isPresent() ? active : insertFirstVersion(keyId, cmkId, wrapNewKey);
    });
  }

  @Override
  public BranchKeyRecord rotate(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey) {
    checkWriteArguments(keyId, cmkId, wrapNewKey);
    return retrying(keyId, "rotating", () -> {
      Optional<Head> head = queryHead(keyId);
      if (head.isEmpty()) {
        return insertFirstVersion(keyId, cmkId, wrapNewKey);
      }
      int previous = head.get().maxVersion();
      int active = head.get().activeVersion();
      BranchKeyRecord created = newRecord(new BranchKeyRef(keyId, previous + 1), cmkId, wrapNewKey);
      return Jdbc.inTransaction(dataSource, c -> {
        int next = previous + 1;
        if (Jdbc.execute(c, sql.advanceHead, next, next, keyId, previous) == 0) {
          return Optional.empty(); // lost the CAS: another writer committed version `next` first
        }
        if (Jdbc.execute(c, sql.demoteActive, keyId, active) != 1) {
          throw new IllegalStateException("key store table " + sql.table + " is inconsistent: the head of key id '"
              + keyId + "' names version " + active + " as ACTIVE, but that row is not ACTIVE");
        }
        insertVersion(c, created);
        return Optional.of(created);
      });
    });
  }

  @Override
  public void destroy(BranchKeyRef ref) {
    Objects.requireNonNull(ref, "ref");
    retrying(ref.keyId(), "destroying version " + ref.version() + " of", () -> {
      int erased = Jdbc.autoCommitted(dataSource, c -> Jdbc.execute(c, sql.destroyVersion, ref.keyId(), ref.version()));
      if (erased > 0) {
        return Optional.of(ref); // also when it was DESTROYED already: erasing twice is harmless
      }
      BranchKeyRecord current = queryOne(ref).orElseThrow(() -> new IllegalArgumentException(
          "no branch-key version " + ref.version() + " of key id '" + ref.keyId() + "' in table " + sql.table));
      if (current.status() == BranchKeyStatus.ACTIVE) {
        throw new IllegalStateException("branch-key version " + ref.version() + " of key id '" + ref.keyId()
            + "' is ACTIVE and cannot be destroyed: rotate the key id first");
      }
      return Optional.empty(); // a rotation demoted it between our UPDATE and our read: try again
    });
  }

  /** Head and version 1 in one transaction; a concurrent creator makes it fail with class 23. */
  private Optional<BranchKeyRecord> insertFirstVersion(String keyId, String cmkId,
      Function<BranchKeyRef, byte[]> wrapNewKey) throws SQLException {
    BranchKeyRecord created = newRecord(new BranchKeyRef(keyId, 1), cmkId, wrapNewKey);
    return Jdbc.inTransaction(dataSource, c -> {
      Jdbc.execute(c, sql.insertHead, keyId);
      insertVersion(c, created);
      return Optional.of(created);
    });
  }

  private void insertVersion(Connection c, BranchKeyRecord r) throws SQLException {
    Jdbc.execute(c, sql.insertVersion, r.ref().keyId(), r.ref().version(), r.cmkId(), r.wrappedKey(),
        r.createdAt().toEpochMilli());
  }

  private static BranchKeyRecord newRecord(BranchKeyRef ref, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey) {
    byte[] wrapped = wrapNewKey.apply(ref);
    // Checked here rather than left to the column, so that no driver message ever quotes the bytes.
    if (wrapped == null || wrapped.length == 0 || wrapped.length > KeyStoreSql.MAX_WRAPPED_KEY_BYTES) {
      throw new IllegalArgumentException("wrapNewKey must return 1 to " + KeyStoreSql.MAX_WRAPPED_KEY_BYTES
          + " bytes for " + ref + ", returned " + (wrapped == null ? "null" : wrapped.length + " bytes"));
    }
    return new BranchKeyRecord(ref, BranchKeyStatus.ACTIVE, cmkId, wrapped, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** Runs attempts until one returns a value; conflicts are retried, other SQL failures thrown. */
  private <T> T retrying(String keyId, String operation, Jdbc.Work<Optional<T>> attempt) {
    SQLException lastConflict = null;
    for (int n = 1; n <= maxAttempts; n++) {
      try {
        Optional<T> done = attempt.run();
        if (done.isPresent()) {
          return done.get();
        }
      } catch (SQLException e) {
        if (!Jdbc.isConflict(e)) {
          throw KeyStoreException.failed(sql.table, keyId, operation, e);
        }
        lastConflict = e;
      }
      // Growing jitter spreads writers that keep colliding; correctness never depends on it.
      long maxMicros = 100L << Math.min(n, 6);
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(maxMicros)));
    }
    throw KeyStoreException.contended(sql.table, keyId, operation, maxAttempts, lastConflict);
  }

  private <T> T read(String keyId, Jdbc.Work<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw KeyStoreException.failed(sql.table, keyId, "reading", e);
    }
  }

  private Optional<BranchKeyRecord> queryActive(String keyId) throws SQLException {
    return query(sql.selectActive, keyId).stream().findFirst();
  }

  private Optional<BranchKeyRecord> queryOne(BranchKeyRef ref) throws SQLException {
    return query(sql.selectVersion, ref.keyId(), ref.version()).stream().findFirst();
  }

  /** The rows {@code statement} selects; its first parameter is the key id. */
  private List<BranchKeyRecord> query(String statement, Object... params) throws SQLException {
    return Jdbc.autoCommitted(dataSource, c -> {
      try (PreparedStatement ps = Jdbc.prepare(c, statement, params); ResultSet rs = ps.executeQuery()) {
        List<BranchKeyRecord> records = new ArrayList<>();
        while (rs.next()) {
          records.add(record(rs, (String) params[0]));
        }
        return List.copyOf(records);
      }
    });
  }

  /**
   * One row of the version table. A row this store cannot have written (edited by hand, or restored into a
   * table of another layout) is refused with RS-3004, never read as something else.
   */
  private BranchKeyRecord record(ResultSet rs, String keyId) throws SQLException {
    String id = rs.getString(1);
    int version = rs.getInt(2);
    String status = rs.getString(3);
    String cmkId = rs.getString(4);
    String problem = !keyId.equals(id) ? "a key id that is not '" + keyId + "'"
        : version < 1 ? "version " + version + " (versions start at 1)"
        : Arrays.stream(BranchKeyStatus.values()).noneMatch(s -> s.name().equals(status)) ? "an unknown status"
        : cmkId == null ? "no CMK id"
        : null;
    if (problem != null) {
      throw KeyStoreException.malformed(sql.table, keyId, problem);
    }
    return new BranchKeyRecord(new BranchKeyRef(id, version), BranchKeyStatus.valueOf(status), cmkId, rs.getBytes(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }

  private Optional<Head> queryHead(String keyId) throws SQLException {
    return Jdbc.autoCommitted(dataSource, c -> {
      try (PreparedStatement ps = Jdbc.prepare(c, sql.selectHead, keyId); ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Head(rs.getInt(1), rs.getInt(2))) : Optional.empty();
      }
    });
  }

  private static void checkWriteArguments(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey) {
    BranchKeyRef.checkKeyId(keyId);
    Objects.requireNonNull(wrapNewKey, "wrapNewKey");
    if (cmkId == null || cmkId.isEmpty() || cmkId.length() > KeyStoreSql.MAX_CMK_ID_LENGTH) {
      throw new IllegalArgumentException("cmkId must be 1 to " + KeyStoreSql.MAX_CMK_ID_LENGTH
          + " characters, was " + (cmkId == null ? "null" : cmkId.length() + " characters"));
    }
  }

  private record Head(int activeVersion, int maxVersion) {}

  @Override
  public String toString() {
    return "JdbcBranchKeyStore(table=" + sql.table + ")";
  }
}
