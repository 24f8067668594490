package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.MigrationReport;
import io.rowseal.hibernate.RowMigration;
import io.rowseal.hibernate.RowsealSettings;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The migration job's workloads on {@link SealedCustomer}'s table (three encrypted text fields of 16, 32
 * and 64 bytes, signed rows), shared by {@link MigrationBenchmark} and its test: each {@link Job}
 * {@linkplain #prepare prepares} the table, then {@linkplain #run runs} over every row of it.
 *
 * <p>Rowseal with its defaults except an in-memory KMS and key store (the branch key is cached either
 * way, so where it lives costs a row nothing) and transition reads on, as during a real migration. The
 * job runs with its default batch of {@value #BATCH} rows and no throttle. Not thread-safe.
 */
public final class MigrationWorkload implements AutoCloseable {
  public static final int BATCH = 500;
  static final String TABLE = "rsbench_sealed";
  static final String CHECKPOINT = "rsbench_migration";

  /** What one invocation does to the table's rows. */
  public enum Job {
    /**
     * The floor any rewrite job pays, without Hibernate or cryptography: plain JDBC, keyset pagination
     * by id in batches of {@value #BATCH}, each row's three values read and written back (reversed, so
     * that no database skips the write) by one batched {@code UPDATE}, one transaction per batch. On the
     * legacy rows {@link #ENCRYPT} starts from.
     */
    BASELINE,
    /** Legacy plaintext rows (inserted by JDBC, no footer) encrypted and signed by the job. */
    ENCRYPT,
    /** Rows written by Hibernate under one branch-key version, re-encrypted by the job after a rotation. */
    REENCRYPT,
    /** The job's second pass over rows already current: it reads them and rewrites none. */
    CURRENT;

    /** The lower-case name used as the JMH parameter. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Job of(String id) {
      return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
  }

  private final SessionFactory sessionFactory;
  private final Envelope envelope;
  private final ConnectionProvider connections;
  private final Row[] rows;
  /** Whether every row is encrypted under the active version and signed, as a finished pass leaves it. */
  private boolean current;

  private MigrationWorkload(Database db, int rows) {
    this.rows = Row.random(rows, 11);
    this.envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    this.sessionFactory = Macro.sessionFactory(db, Map.of(RowsealSettings.ENVELOPE, envelope,
        RowsealSettings.TRANSITION_READ_PLAINTEXT, "true"));
    this.connections = sessionFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
        .requireService(ConnectionProvider.class);
  }

  /**
   * A session factory on {@code db} (tables dropped and created) and {@code rows} rows of random text.
   * A checkpoint an earlier, interrupted run left behind is dropped, so no run resumes one.
   */
  public static MigrationWorkload open(Database db, int rows) {
    MigrationWorkload w = new MigrationWorkload(db, rows);
    try {
      w.sql(s -> {
        s.execute("drop table if exists " + CHECKPOINT);
        s.execute("drop table if exists " + CHECKPOINT + "_failed");
      });
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  public SessionFactory sessionFactory() {
    return sessionFactory;
  }

  /** Puts the table in the state {@code job} starts from. */
  public void prepare(Job job) {
    switch (job) {
      case BASELINE, ENCRYPT -> insertLegacy();
      case REENCRYPT -> {
        persistEncrypted();
        envelope.rotateBranchKey();
        current = false;
      }
      case CURRENT -> {
        // The rows as a finished pass left them (this one's first, or another job's): all current.
        if (!current) {
          insertLegacy();
          run(Job.ENCRYPT);
        }
      }
      default -> throw new IllegalArgumentException(job.name());
    }
  }

  /**
   * Runs {@code job} over every row and checks it did what it is measured for.
   *
   * @return the rows it rewrote (0 for {@link Job#CURRENT})
   * @throws IllegalStateException if it rewrote, or found current, another number of rows than the table has
   */
  public long run(Job job) {
    if (job == Job.BASELINE) {
      current = false;
      return rewriteByJdbc();
    }
    MigrationReport report = RowMigration.of(sessionFactory, SealedCustomer.class).checkpointTable(CHECKPOINT)
        .batchSize(BATCH).run();
    long expected = job == Job.CURRENT ? 0 : rows.length;
    if (report.examined() != rows.length || report.rewritten() != expected || !report.failedIds().isEmpty()) {
      throw new IllegalStateException(job + ": expected " + expected + " of " + rows.length + " rows rewritten, "
          + "the job reported " + report);
    }
    current = true;
    return report.rewritten();
  }

  /** Rows 1 to n as an application wrote them before rowseal: plaintext UTF-8 bytes, no footer. */
  private void insertLegacy() {
    truncate();
    current = false;
    jdbc(c -> {
      try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE
          + " (id, code, email, address) values (?, ?, ?, ?)")) {
        for (int i = 0; i < rows.length; i++) {
          ps.setLong(1, i + 1);
          for (int f = 0; f < 3; f++) {
            ps.setBytes(f + 2, rows[i].field(f).getBytes(StandardCharsets.UTF_8));
          }
          ps.addBatch();
          if ((i + 1) % 1000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /** The rows written by Hibernate under the active branch-key version, signed. */
  private void persistEncrypted() {
    truncate();
    try (Session session = sessionFactory.openSession()) {
      var tx = session.beginTransaction();
      for (int i = 0; i < rows.length; i++) {
        Row r = rows[i];
        session.persist(new SealedCustomer(r.code(), r.email(), r.address()));
        if ((i + 1) % Macro.BATCH == 0) {
          session.flush();
          session.clear();
        }
      }
      tx.commit();
    }
  }

  /** {@link Job#BASELINE}: keyset pages of {@value #BATCH}, each row read and updated, a transaction per page. */
  private long rewriteByJdbc() {
    long updated = 0;
    long after = Long.MIN_VALUE;
    while (true) {
      long from = after;
      long[] page = jdbc(c -> {
        List<Object[]> read = new ArrayList<>(BATCH);
        try (PreparedStatement ps = c.prepareStatement("select id, code, email, address from " + TABLE
            + " where id > ? order by id")) {
          ps.setLong(1, from);
          ps.setMaxRows(BATCH);
          ps.setFetchSize(BATCH);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read.add(new Object[] {rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)});
            }
          }
        }
        if (read.isEmpty()) {
          return new long[] {0, from};
        }
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("update " + TABLE
            + " set code = ?, email = ?, address = ? where id = ?")) {
          for (Object[] row : read) {
            for (int f = 1; f <= 3; f++) {
              ps.setBytes(f, reversed((byte[]) row[f]));
            }
            ps.setLong(4, (Long) row[0]);
            ps.addBatch();
          }
          for (int count : ps.executeBatch()) {
            n += count == Statement.SUCCESS_NO_INFO ? 1 : count;
          }
        }
        return new long[] {n, (Long) read.get(read.size() - 1)[0]};
      });
      if (page[0] == 0) {
        break;
      }
      updated += page[0];
      after = page[1];
    }
    if (updated != rows.length) {
      throw new IllegalStateException("baseline: updated " + updated + " of " + rows.length + " rows");
    }
    return updated;
  }

  private static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private void truncate() {
    sql(s -> s.execute("truncate table " + TABLE));
  }

  private interface JdbcWork<T> {
    T run(Connection c) throws SQLException;
  }

  private interface StatementWork {
    void run(Statement s) throws SQLException;
  }

  private void sql(StatementWork work) {
    jdbc(c -> {
      try (Statement s = c.createStatement()) {
        work.run(s);
      }
      return null;
    });
  }

  /** Runs {@code work} in one transaction on a connection of the session factory's pool. */
  private <T> T jdbc(JdbcWork<T> work) {
    try {
      Connection c = connections.getConnection();
      try {
        c.setAutoCommit(false);
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      sessionFactory.close();
    } finally {
      envelope.close();
    }
  }
}
