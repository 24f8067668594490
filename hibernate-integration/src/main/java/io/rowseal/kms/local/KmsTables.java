package io.rowseal.kms.local;

import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * LocalKms's durable state, in four tables of the application's database (H2, PostgreSQL, MariaDB):
 * {@code <prefix>hsm} (the HSMs' public keys), {@code <prefix>domain_token} (EDTs by DK generation),
 * {@code <prefix>cmk} (CMK metadata and state, each row with its {@link CmkStateMac}) and
 * {@code <prefix>ekt} (one EKT per CMK version, with the DK generation that seals it). No table holds key
 * material in the clear. Times are epoch milliseconds. Thread-safe; every method uses its own connection.
 *
 * <p>Several processes may share the tables. Every write of an existing domain is <em>guarded</em>: its
 * transaction first locks the row of HSM 0 ({@code SELECT ... FOR UPDATE}), so writes of all processes
 * run one at a time, then compares what the tables hold with what the writer's in-memory image expects
 * (the current DK generation and, for a change to one CMK, that CMK's row and version count). When they
 * differ, nothing is written and {@link Stale} is thrown: the caller reloads its image and decides again.
 * So no process writes under a domain key another one is retiring, or over a CMK change it has not seen.
 */
final class KmsTables {
  record EdtRow(long generation, byte[] edt, Instant createdAt) {}

  /** What a CMK row says, and what its {@link CmkStateMac} covers. */
  record CmkRow(String id, String description, KeyState state, Instant createdAt, Instant deletionDate) {}

  /** A {@link CmkStateMac} value and the DK generation it is keyed under. */
  record StateMac(long generation, byte[] mac) {}

  /** A CMK row as read: {@code mac} is null in a row written by a rowseal that did not MAC rows. */
  record StoredCmk(CmkRow row, StateMac mac) {}

  record EktRow(String cmkId, int version, long dkGeneration, byte[] ekt, Instant createdAt) {}

  /** What {@link #state()} read, in one transaction. */
  record State(List<EdtRow> tokens, List<StoredCmk> cmks, List<EktRow> ekts) {}

  /**
   * A guarded write found the tables moved on from the writer's image (another process rotated the
   * domain key or changed the CMK); nothing was written. Internal: {@link KeyRing} reloads and retries.
   */
  static final class Stale extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stale(String message) {
      super(message, null, false, false);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;
  private final String hsm;
  private final String edt;
  private final String cmk;
  private final String ekt;

  KmsTables(DataSource dataSource, String prefix) {
    this.dataSource = dataSource;
    this.hsm = prefix + "hsm";
    this.edt = prefix + "domain_token";
    this.cmk = prefix + "cmk";
    this.ekt = prefix + "ekt";
  }

  /** Creates the tables, or adds the columns of later releases, that are missing ({@link KmsSchema}). */
  void createIfAbsent() {
    run("create tables", c -> {
      new KmsSchema(prefix(), hsm, edt, cmk, ekt).createMissing(c);
      return null;
    });
  }

  /** True once any durable state exists: HSM keys, EDTs or EKTs. */
  boolean hasState() {
    return run("read state", c -> count(c, hsm) + count(c, edt) + count(c, ekt) > 0);
  }

  Map<Integer, byte[]> hsmPublicKeys() {
    Map<Integer, byte[]> keys = new TreeMap<>();
    query("read HSM public keys", "SELECT hsm_index, public_key FROM " + hsm,
        rs -> Map.entry(rs.getInt(1), rs.getBytes(2))).forEach(e -> keys.put(e.getKey(), e.getValue()));
    return keys;
  }

  List<EdtRow> domainTokens() {
    return run("read domain tokens", this::domainTokens);
  }

  /**
   * Tokens, CMK rows and EKTs as one consistent picture: read under the domain lock, so no guarded write of
   * another process (a rotation half-way) falls between the three reads.
   */
  State state() {
    return transaction("read state", c -> {
      lockDomain(c);
      return new State(domainTokens(c), cmks(c), ekts(c));
    });
  }

  private List<EdtRow> domainTokens(Connection c) throws SQLException {
    return rows(c, "SELECT generation, edt, created_at FROM " + edt
        + " ORDER BY generation",
        rs -> new EdtRow(rs.getLong(1), rs.getBytes(2), Instant.ofEpochMilli(rs.getLong(3))));
  }

  List<StoredCmk> cmks() {
    return run("read CMKs", this::cmks);
  }

  private List<StoredCmk> cmks(Connection c) throws SQLException {
    return rows(c, "SELECT cmk_id, description, state, created_at, deletion_date, state_mac, "
        + "mac_generation FROM " + cmk + " ORDER BY cmk_id", rs -> {
          String id = rs.getString(1);
          long deletion = rs.getLong(5);
          Instant deletionDate = rs.wasNull() ? null : Instant.ofEpochMilli(deletion);
          String stateName = rs.getString(3);
          KeyState state = Arrays.stream(KeyState.values()).filter(k -> k.name().equals(stateName))
              .findFirst().orElseThrow(() -> new KmsException("RS-2015", "the row of CMK '" + id + "' in table "
                  + cmk + " holds a state LocalKms never writes: the tables were modified outside LocalKms"));
          byte[] mac = rs.getBytes(6);
          long generation = rs.getLong(7);
          boolean noGeneration = rs.wasNull();
          return new StoredCmk(new CmkRow(id, rs.getString(2), state, Instant.ofEpochMilli(rs.getLong(4)),
              deletionDate), mac == null && noGeneration ? null : new StateMac(generation, mac));
        });
  }

  List<EktRow> ekts() {
    return run("read EKTs", this::ekts);
  }

  private List<EktRow> ekts(Connection c) throws SQLException {
    return rows(c, "SELECT cmk_id, cmk_version, dk_generation, ekt, created_at FROM " + ekt
        + " ORDER BY cmk_id, cmk_version", rs -> new EktRow(rs.getString(1), rs.getInt(2),
        rs.getLong(3), rs.getBytes(4), Instant.ofEpochMilli(rs.getLong(5))));
  }

  /** First run: the HSMs' public keys and the first EDT, in one transaction. */
  void initDomain(Map<Integer, byte[]> publicKeys, EdtRow first) {
    transaction("initialise the domain", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + hsm + " VALUES (?, ?, ?)")) {
        for (var e : publicKeys.entrySet()) {
          ps.setInt(1, e.getKey());
          ps.setBytes(2, e.getValue());
          ps.setLong(3, first.createdAt().toEpochMilli());
          ps.executeUpdate();
        }
      }
      insert(c, first);
      return null;
    });
  }

  /** Stores the EDT of the generation after the current one ({@link Stale} unless it is). */
  void insertDomainToken(EdtRow row) {
    transactionOrStored("store domain token", row.generation() - 1, c -> insert(c, row), () -> domainTokens().stream()
        .anyMatch(stored -> stored.generation() == row.generation() && Arrays.equals(stored.edt(), row.edt())));
  }

  /** Deletes the EDTs older than {@code generation}, once no EKT needs them. */
  void deleteDomainTokensBefore(long generation) {
    guarded("delete old domain tokens", generation, c -> {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT COUNT(*) FROM " + ekt + " WHERE dk_generation < ?")) {
        q.setLong(1, generation);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new Stale(rs.getLong(1) + " EKTs still need domain key generations below " + generation);
          }
        }
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT COUNT(*) FROM " + cmk + " WHERE mac_generation < ?")) {
        q.setLong(1, generation);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new Stale(rs.getLong(1) + " CMK rows are still MACed under domain key generations below "
                + generation);
          }
        }
      }
      return update(c, "DELETE FROM " + edt + " WHERE generation < ?", generation);
    });
  }

  /**
   * Stores a new CMK and its first EKT. A description the database does not store unchanged (a
   * character set that cannot hold it) is refused: its MAC would never verify again.
   */
  void insertCmk(CmkRow row, StateMac mac, EktRow first) {
    guarded("create CMK " + row.id(), first.dkGeneration(), c -> {
      update(c, "INSERT INTO " + cmk + " (cmk_id, description, state, created_at, deletion_date, state_mac, "
          + "mac_generation) VALUES (?, ?, ?, ?, ?, ?, ?)", row.id(), row.description(), row.state().name(),
          row.createdAt().toEpochMilli(), millis(row.deletionDate()), mac.mac(), mac.generation());
      try (PreparedStatement q = c.prepareStatement("SELECT description FROM " + cmk + " WHERE cmk_id = ?")) {
        q.setString(1, row.id());
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next() || !row.description().equals(rs.getString(1))) {
            throw new IllegalArgumentException("the description cannot be stored unchanged in column "
                + cmk + ".description (its character set changes it); use characters that column holds");
          }
        }
      }
      return insert(c, first);
    });
  }

  /** Stores the next version of CMK {@code expected}, as the image holds it ({@link Stale} otherwise). */
  void insertEkt(EktRow row, CmkEntry expected) {
    transactionOrStored("store EKT of CMK " + row.cmkId(), row.dkGeneration(), c -> {
      requireUnchanged(c, expected);
      return insert(c, row);
    }, () -> isStored(row));
  }

  /** Stores the state and deletion date of {@code row}, with their MAC, over the row {@code expected} holds. */
  void updateState(CmkRow row, StateMac mac, CmkEntry expected) {
    guarded("update state of CMK " + row.id(), mac.generation(), c -> {
      requireUnchanged(c, expected);
      return update(c, "UPDATE " + cmk
          + " SET state = ?, deletion_date = ?, state_mac = ?, mac_generation = ? WHERE cmk_id = ?",
          row.state().name(), millis(row.deletionDate()), mac.mac(), mac.generation(), row.id());
    });
  }

  /** Replaces the MAC of CMK {@code cmkId} keyed under DK {@code fromGeneration} by one under a newer DK. */
  void remac(String cmkId, StateMac mac, long fromGeneration) {
    int n = guarded("re-MAC CMK " + cmkId, mac.generation(), c -> update(c, "UPDATE " + cmk
        + " SET state_mac = ?, mac_generation = ? WHERE cmk_id = ? AND mac_generation = ?",
        mac.mac(), mac.generation(), cmkId, fromGeneration));
    if (n != 1) {
      throw new Stale("the row of CMK '" + cmkId + "' changed in table " + cmk);
    }
  }

  /** Gives a row written without a MAC (by an older rowseal) its first MAC. */
  void adoptUnauthenticated(String cmkId, StateMac mac) {
    int n = guarded("MAC CMK " + cmkId, mac.generation(), c -> update(c, "UPDATE " + cmk
        + " SET state_mac = ?, mac_generation = ? WHERE cmk_id = ? AND state_mac IS NULL",
        mac.mac(), mac.generation(), cmkId));
    if (n != 1) {
      throw new Stale("the row of CMK '" + cmkId + "' changed in table " + cmk);
    }
  }

  /** Replaces an EKT sealed under DK {@code fromGeneration} by its re-sealed form. */
  void resealEkt(EktRow resealed, long fromGeneration) {
    int n = transactionOrStored("re-seal EKT of CMK " + resealed.cmkId(), resealed.dkGeneration(),
        c -> update(c, "UPDATE " + ekt
        + " SET ekt = ?, dk_generation = ? WHERE cmk_id = ? AND cmk_version = ? AND dk_generation = ?",
        resealed.ekt(), resealed.dkGeneration(), resealed.cmkId(), resealed.version(), fromGeneration),
        () -> isStored(resealed)) ? 1 : 0;
    if (n != 1) {
      throw new Stale("EKT of CMK '" + resealed.cmkId() + "' version " + resealed.version()
          + " changed in table " + ekt);
    }
  }

  /** Crypto-shredding: deletes every EKT of {@code row}'s CMK and stores it DESTROYED, with its MAC. */
  void destroyCmk(CmkRow row, StateMac mac, CmkEntry expected) {
    guarded("destroy CMK " + row.id(), mac.generation(), c -> {
      requireUnchanged(c, expected);
      update(c, "DELETE FROM " + ekt + " WHERE cmk_id = ?", row.id());
      return update(c, "UPDATE " + cmk + " SET state = ?, state_mac = ?, mac_generation = ? WHERE cmk_id = ?",
          KeyState.DESTROYED.name(), mac.mac(), mac.generation(), row.id());
    });
  }

  /** Drops the four tables (tests). */
  void dropAll() {
    run("drop tables", c -> {
      try (Statement s = c.createStatement()) {
        for (String t : List.of(ekt, cmk, edt, hsm)) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
      return null;
    });
  }

  String ektTable() {
    return ekt;
  }

  String cmkTable() {
    return cmk;
  }

  String domainTokenTable() {
    return edt;
  }

  private int insert(Connection c, EdtRow row) throws SQLException {
    return update(c, "INSERT INTO " + edt + " VALUES (?, ?, ?)", row.generation(), row.edt(),
        row.createdAt().toEpochMilli());
  }

  private int insert(Connection c, EktRow row) throws SQLException {
    return update(c, "INSERT INTO " + ekt + " VALUES (?, ?, ?, ?, ?)", row.cmkId(), row.version(),
        row.dkGeneration(), row.ekt(), row.createdAt().toEpochMilli());
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] == null) {
          ps.setNull(i + 1, Types.BIGINT);
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      return ps.executeUpdate();
    }
  }

  String prefix() {
    return hsm.replaceAll("hsm$", "");
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private <T> List<T> query(String what, String sql, RowMapper<T> mapper) {
    return run(what, c -> rows(c, sql, mapper));
  }

  private static <T> List<T> rows(Connection c, String sql, RowMapper<T> mapper) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
    }
    return rows;
  }

  private static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  private <T> T run(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Whether {@code row} is stored as it is: same CMK version, DK generation and token bytes. */
  private boolean isStored(EktRow row) {
    return run("read EKT of CMK " + row.cmkId(), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT dk_generation, ekt FROM " + ekt
          + " WHERE cmk_id = ? AND cmk_version = ?")) {
        ps.setString(1, row.cmkId());
        ps.setInt(2, row.version());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getLong(1) == row.dkGeneration() && Arrays.equals(rs.getBytes(2), row.ekt());
        }
      }
    });
  }

  /**
   * A write that stores one row, which {@code stored} can read back. When the write fails, the database
   * may have committed it all the same (the connection dropped after the server committed, before the
   * driver heard back): if the row is stored, the write is done, and counts as done, so the in-memory
   * image follows the tables and the next rotation does not trip over a row it cannot see. Returns
   * whether the work ran to its commit or the row was found; otherwise the failure stands.
   */
  private boolean transactionOrStored(String what, long generation, Work<Integer> work,
      java.util.function.BooleanSupplier stored) {
    try {
      return guarded(what, generation, work) == 1;
    } catch (KmsException e) {
      boolean done;
      try {
        done = stored.getAsBoolean();
      } catch (KmsException unreadable) {
        e.addSuppressed(unreadable);
        throw e;
      }
      if (!done) {
        throw e;
      }
      return true;
    }
  }

  /**
   * A transaction that first takes the domain's write lock (the row of HSM 0, which exists as long as the
   * domain does) and checks that {@code generation} is still the newest stored DK generation; {@link Stale}
   * if it is not. Held to commit, the lock orders every guarded write of every process sharing the tables.
   */
  private <T> T guarded(String what, long generation, Work<T> work) {
    return transaction(what, c -> {
      if (!lockDomain(c)) {
        throw new KmsException("RS-2013", "LocalKms state in tables " + prefix() + "* is incomplete: "
            + "the row of HSM 0 is missing from table " + hsm);
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(generation) FROM " + edt)) {
        long stored = rs.next() ? rs.getLong(1) : 0;
        if (stored != generation) {
          throw new Stale("domain key generation " + stored + " is stored in table " + edt + ", this process "
              + "holds " + generation);
        }
      }
      return work.run(c);
    });
  }

  /** Takes the domain lock (the row of HSM 0) until the transaction ends; false if there is no domain yet. */
  private boolean lockDomain(Connection c) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT hsm_index FROM " + hsm
        + " WHERE hsm_index = 0 FOR UPDATE"); ResultSet rs = lock.executeQuery()) {
      return rs.next();
    }
  }

  /** {@link Stale} unless the row and version count of {@code expected}'s CMK are what its image holds. */
  private void requireUnchanged(Connection c, CmkEntry expected) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state, deletion_date, mac_generation, (SELECT COUNT(*) "
        + "FROM " + ekt + " WHERE cmk_id = ?) FROM " + cmk + " WHERE cmk_id = ?")) {
      ps.setString(1, expected.id());
      ps.setString(2, expected.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new Stale("CMK '" + expected.id() + "' is not in table " + cmk);
        }
        String state = rs.getString(1);
        long deletion = rs.getLong(2);
        Long deletionDate = rs.wasNull() ? null : deletion;
        long macGeneration = rs.getLong(3);
        int versions = rs.getInt(4);
        if (!state.equals(expected.state().name())
            || !java.util.Objects.equals(deletionDate, millis(expected.deletionDate()))
            || macGeneration != expected.macGeneration() || versions != expected.currentVersion()) {
          throw new Stale("CMK '" + expected.id() + "' was changed in table " + cmk + " by another process");
        }
      }
    }
  }

  private <T> T transaction(String what, Work<T> work) {
    return run(what, c -> {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    });
  }

  private KmsException failure(String what, SQLException e) {
    return new KmsException.Unavailable("LocalKms could not " + what + " in tables " + prefix()
        + "* (SQLState " + e.getSQLState() + ": " + e.getMessage() + ")", e);
  }
}
