package io.rowseal.hibernate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

/**
 * A migration job's checkpoint, in two small tables of the application's database: one row per job
 * (the last id done, the counts, a step counter) and the rows it could not read. Every change is made
 * on the job's connection inside the transaction of the batch it accounts for, so a batch and its
 * checkpoint commit or vanish together: a killed run leaves the checkpoint of its last committed batch.
 *
 * <p>The step counter is a compare-and-set token: each advance names the step it follows, so a second
 * run of the same job (which would redo or skip rows behind the first's back) fails with
 * {@code RS-4503} instead of corrupting the counts.
 */
final class MigrationCheckpoint {
  static final String DEFAULT_TABLE = "rowseal_migration";

  /** The state of one job, as committed. */
  record State(String lastId, long step, Counts counts, boolean resumed) {}

  /** Counts of a job, or the increments of one step. */
  record Counts(long examined, long rewritten, long current, long changed, long failed) {
    static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(examined + o.examined, rewritten + o.rewritten, current + o.current,
          changed + o.changed, failed + o.failed);
    }
  }

  private final String table;
  private final String failures;
  private final String job;
  private final String entity;

  MigrationCheckpoint(String table, String job, String entity) {
    this.table = table;
    this.failures = table + "_failed";
    this.job = job;
    this.entity = entity;
  }

  /** Creates the two tables if they do not exist (in the caller's transaction; DDL may commit it). */
  void ensureTables(SharedSessionContractImplementor session) {
    work(session, "create the checkpoint tables", c -> {
      if (!exists(c, table)) {
        execute(c, "create table " + table + " (job_name varchar(190) not null, entity_name varchar(255) not null, "
            + "last_id varchar(1000), step bigint not null, examined bigint not null, rewritten bigint not null, "
            + "already_current bigint not null, changed_concurrently bigint not null, failed bigint not null, "
            + "finished integer not null, primary key (job_name))");
      }
      if (!exists(c, failures)) {
        execute(c, "create table " + failures + " (job_name varchar(190) not null, row_id varchar(1000) not null, "
            + "reason varchar(2000))");
      }
      return null;
    });
  }

  /**
   * Resumes the job's unfinished run, or starts a new pass (forgetting the failures of a finished one).
   * Locks the job's row until the caller's transaction ends.
   */
  State start(SharedSessionContractImplementor session) {
    return work(session, "start job " + job, c -> {
      try (PreparedStatement ps = c.prepareStatement("select entity_name, last_id, step, examined, rewritten, "
          + "already_current, changed_concurrently, failed, finished from " + table + " where job_name = ?"
          + session.getJdbcServices().getDialect().getForUpdateString())) {
        ps.setString(1, job);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            update(c, "insert into " + table + " (job_name, entity_name, last_id, step, examined, rewritten, "
                + "already_current, changed_concurrently, failed, finished) values (?, ?, null, 0, 0, 0, 0, 0, 0, 0)",
                job, entity);
            return new State(null, 0, Counts.ZERO, false);
          }
          if (!rs.getString(1).equals(entity)) {
            throw new MigrationException("RS-4502", "checkpoint job '" + job + "' in table " + table
                + " belongs to entity " + rs.getString(1) + ", not " + entity + "; give this job another name");
          }
          long step = rs.getLong(3);
          if (rs.getInt(9) == 0) {
            return new State(rs.getString(2), step, new Counts(rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8)), true);
          }
          update(c, "update " + table + " set last_id = null, step = ?, examined = 0, rewritten = 0, "
              + "already_current = 0, changed_concurrently = 0, failed = 0, finished = 0 where job_name = ?",
              step + 1, job);
          update(c, "delete from " + failures + " where job_name = ?", job);
          return new State(null, step + 1, Counts.ZERO, false);
        }
      }
    });
  }

  /**
   * Moves the checkpoint from {@code step} to {@code step + 1}: last id done, counts increased by
   * {@code delta}, and the failed rows of this step. Fails with {@code RS-4503} if another run moved it.
   */
  void advance(SharedSessionContractImplementor session, long step, String lastId, Counts delta,
      List<String[]> failedRows, boolean finished) {
    work(session, "advance job " + job, c -> {
      int n = update(c, "update " + table + " set last_id = ?, step = ?, examined = examined + ?, "
          + "rewritten = rewritten + ?, already_current = already_current + ?, "
          + "changed_concurrently = changed_concurrently + ?, failed = failed + ?, finished = ? "
          + "where job_name = ? and step = ?", lastId, step + 1, delta.examined(), delta.rewritten(),
          delta.current(), delta.changed(), delta.failed(), finished ? 1 : 0, job, step);
      if (n != 1) {
        throw new MigrationException("RS-4503", "the checkpoint of job '" + job + "' (table " + table
            + ") was moved by another run of the same job; run one at a time");
      }
      for (String[] row : failedRows) {
        update(c, "insert into " + failures + " (job_name, row_id, reason) values (?, ?, ?)", job, row[0],
            row[1].length() > 2000 ? row[1].substring(0, 2000) : row[1]);
      }
      return null;
    });
  }

  /** The ids of the rows this pass could not read, in the order it met them. */
  List<String> failedIds(SharedSessionContractImplementor session) {
    return work(session, "read the failures of job " + job, c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("select row_id from " + failures + " where job_name = ?")) {
        ps.setString(1, job);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      return ids;
    });
  }

  private interface Sql<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T work(SharedSessionContractImplementor session, String what, Sql<T> sql) {
    try {
      return session.doReturningWork(sql::run);
    } catch (MigrationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MigrationException("RS-4502", "could not " + what + " in checkpoint table " + table + ": "
          + e.getMessage(), e);
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          ps.setNull(i + 1, java.sql.Types.VARCHAR);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      return ps.executeUpdate();
    }
  }

  private static void execute(Connection c, String ddl) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute(ddl);
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String stored = meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT)
        : meta.storesLowerCaseIdentifiers() ? name.toLowerCase(Locale.ROOT) : name;
    try (ResultSet rs = meta.getTables(c.getCatalog(), null, stored, new String[] {"TABLE"})) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        if (schema == null || c.getSchema() == null || schema.equalsIgnoreCase(c.getSchema())) {
          return true;
        }
      }
      return false;
    }
  }
}
