package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.RowsealException;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRef;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link RowMigration}: walks the table in batches of ids (keyset pagination), one
 * transaction per batch on a {@link StatelessSession}. In each batch the rows that need work
 * ({@link RowNeeds}, from their stored bytes) are locked ({@code select ... for update}), checked again
 * as they are now — a row the application wrote meanwhile is current and left alone — loaded, their
 * footer verified against the stored bytes (so a moved or replayed value is never re-signed), and
 * written back by {@code update}, which encrypts every value under the active branch key and signs the
 * row. The checkpoint advances in the same transaction. A batch that fails on a lock conflict is
 * retried; one that fails otherwise is redone row by row, so one unreadable row is reported and passed.
 */
final class MigrationRun {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRun.class);
  private static final int ATTEMPTS = 3;

  private final SessionFactoryImplementor factory;
  private final MigrationTable table;
  private final RowMigration settings;
  private final MigrationCheckpoint checkpoint;
  private final Envelope envelope;
  private final Rekey rekey;
  private final RowNeeds needs;
  private final RowSignatures signatures;
  private StatelessSession session;
  private MigrationCheckpoint.State state;

  /** The outcome of one step: its counts and the rows it could not read ({id, reason}). */
  private record Step(MigrationCheckpoint.Counts counts, List<String[]> failed) {}

  MigrationRun(SessionFactoryImplementor factory, MigrationTable table, RowMigration settings) {
    this.factory = factory;
    this.table = table;
    this.settings = settings;
    this.checkpoint = new MigrationCheckpoint(settings.checkpointTable(), settings.jobName(table), table.entityName);
    this.envelope = table.envelope();
    this.rekey = settings.rekey().copy();
    this.needs = new RowNeeds(table, envelope, rekey, settings.reindexesAll());
    this.signatures = RowSignatures.of(factory);
  }

  MigrationReport run() {
    rekey.checkReachable(envelope.activeBranchKey(), envelope, table.entityName);
    Pacer pacer = new Pacer(settings.maxRowsPerSecond(), settings.clock());
    try (StatelessSession s = factory.openStatelessSession()) {
      this.session = s;
      SharedSessionContractImplementor si = (SharedSessionContractImplementor) s;
      LegacyPlaintext legacy = LegacyPlaintext.of(factory);
      if (legacy != null) {
        legacy.allow(s);
      }
      if (signatures != null) {
        signatures.loaded().allowUnsigned(s);
      }
      inTransaction(() -> {
        checkpoint.ensureTables(si);
        return null;
      });
      state = inTransaction(() -> checkpoint.start(si));
      long total = inTransaction(() -> table.count(si));
      if (state.resumed()) {
        LOG.info("rowseal: resuming migration job of {} after id {} ({} rows done)", table.entityName,
            state.lastId(), state.counts().examined());
      }
      while (true) {
        Object after = table.idFromString(state.lastId());
        List<MigrationTable.Raw> rows = inTransaction(() -> table.scan(si, after, settings.batchSize()));
        if (rows.isEmpty()) {
          advance(state.lastId(), new Step(MigrationCheckpoint.Counts.ZERO, List.of()), true, null);
          break;
        }
        batch(rows);
        pacer.pace(rows.size());
        report(pacer, total);
      }
      MigrationCheckpoint.Counts c = state.counts();
      List<String> failed = inTransaction(() -> checkpoint.failedIds(si));
      return new MigrationReport(table.entityName, c.examined(), c.rewritten(), c.current(), c.changed(), failed,
          pacer.elapsed(), state.resumed());
    }
  }

  private void report(Pacer pacer, long total) {
    MigrationCheckpoint.Counts c = state.counts();
    double rate = pacer.rate();
    long left = Math.max(0, total - c.examined());
    Duration eta = left == 0 ? Duration.ZERO : rate <= 0 ? null : Duration.ofMillis((long) (left * 1000 / rate));
    settings.listener().onProgress(new MigrationProgress(c.examined(), Math.max(total, c.examined()),
        c.rewritten(), c.current() + c.changed(), c.failed(), rate, eta));
  }

  /** One batch: all its candidates in one transaction; on failure, retried, then row by row. */
  private void batch(List<MigrationTable.Raw> rows) {
    BranchKeyRef active = envelope.activeBranchKey();
    int indexVersion = needs.indexVersion(active);
    List<MigrationTable.Raw> candidates = new ArrayList<>();
    for (MigrationTable.Raw row : rows) {
      if (needs.of(row, active, indexVersion) != RowNeeds.Need.CURRENT) {
        candidates.add(row);
      }
    }
    String last = table.idToString(rows.get(rows.size() - 1).id());
    RuntimeException failure = attempt(() -> advance(last, null, false, () -> rewrite(candidates, rows.size())));
    if (failure == null) {
      return;
    }
    LOG.debug("rowseal: migration batch of {} ending at id {} failed ({}); redoing it row by row",
        table.entityName, last, reason(failure));
    isolate(rows, candidates);
  }

  /**
   * Runs {@code work}, again after a transient failure (a lock conflict) up to {@value #ATTEMPTS} times.
   *
   * @return {@code null} once it succeeded, else its last failure
   */
  private RuntimeException attempt(Runnable work) {
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        work.run();
        return null;
      } catch (MigrationException e) {
        throw e;
      } catch (RuntimeException e) {
        failure = e;
        if (!transient_(e)) {
          break;
        }
      }
    }
    return failure;
  }

  /** Row by row: each candidate in its own transaction, together with the rows before it. */
  private void isolate(List<MigrationTable.Raw> rows, List<MigrationTable.Raw> candidates) {
    int before = 0;
    int at = 0;
    for (MigrationTable.Raw candidate : candidates) {
      while (rows.get(at) != candidate) {
        at++;
        before++;
      }
      at++;
      int currentBefore = before;
      before = 0;
      String id = table.idToString(candidate.id());
      RuntimeException failure =
          attempt(() -> advance(id, null, false, () -> rewrite(List.of(candidate), currentBefore + 1)));
      if (failure != null) {
        String reason = reason(failure);
        LOG.warn("rowseal: migration could not rewrite row {} of {} and goes on: {}", id, table.entityName, reason);
        advance(id, new Step(new MigrationCheckpoint.Counts(currentBefore + 1, 0, currentBefore, 0, 1),
            List.<String[]>of(new String[] {id, reason})), false, null);
      }
    }
    int after = rows.size() - at;
    if (after > 0) {
      advance(table.idToString(rows.get(rows.size() - 1).id()),
          new Step(new MigrationCheckpoint.Counts(after, 0, after, 0, 0), List.of()), false, null);
    }
  }

  /**
   * Rewrites {@code candidates} in the current transaction; {@code examined} rows (the candidates and
   * the current rows among them) are accounted.
   */
  private Step rewrite(List<MigrationTable.Raw> candidates, int examined) {
    SharedSessionContractImplementor si = (SharedSessionContractImplementor) session;
    List<Object> ids = new ArrayList<>(candidates.size());
    candidates.forEach(c -> ids.add(c.id()));
    Map<Object, MigrationTable.Raw> locked = new HashMap<>();
    for (MigrationTable.Raw now : table.lock(si, ids)) {
      locked.put(now.id(), now);
    }
    BranchKeyRef active = envelope.activeBranchKey();
    int indexVersion = needs.indexVersion(active);
    long changed = 0;
    long rewritten = 0;
    List<MigrationTable.Raw> due = new ArrayList<>(candidates.size());
    for (MigrationTable.Raw scanned : candidates) {
      MigrationTable.Raw now = locked.get(scanned.id());
      if (now == null || !now.sameAs(scanned) && needs.of(now, active, indexVersion) == RowNeeds.Need.CURRENT) {
        changed++; // deleted, or written by the application since the scan: its write stands
      } else {
        due.add(now);
      }
    }
    Map<Object, Object> entities = load(due);
    for (MigrationTable.Raw now : due) {
      Object entity = entities.get(now.id());
      if (entity == null) {
        changed++;
        continue;
      }
      verify(now, entity);
      session.update(entity);
      rewritten++;
    }
    return new Step(new MigrationCheckpoint.Counts(examined, rewritten, examined - candidates.size(), changed, 0),
        List.of());
  }

  /** Loads the (locked) rows of {@code rows} in one query, by id. */
  private Map<Object, Object> load(List<MigrationTable.Raw> rows) {
    Map<Object, Object> byId = new HashMap<>();
    if (rows.isEmpty()) {
      return byId;
    }
    List<Object> ids = new ArrayList<>(rows.size());
    rows.forEach(r -> ids.add(r.id()));
    SharedSessionContractImplementor si = (SharedSessionContractImplementor) session;
    for (Object entity : session.createSelectionQuery("from " + table.persister.getEntityName()
        + " e where id(e) in (:ids)", Object.class).setParameter("ids", ids).getResultList()) {
      byId.put(table.persister.getIdentifier(entity, si), entity);
    }
    return byId;
  }

  /**
   * Checks a signed row's footer against its stored bytes as locked, before the row is re-signed: the
   * job must not launder a value moved in from another row or replayed. An unsigned row has nothing to
   * check (it is signed as it is, like {@link RowSignatureBackfill} does).
   */
  private void verify(MigrationTable.Raw row, Object entity) {
    if (row.footer() == null || signatures == null) {
      return;
    }
    EntityPersister concrete = factory.getMappingMetamodel().getEntityDescriptor(entity.getClass());
    SignedEntity signed = signatures.entity(concrete);
    if (signed == null) {
      return;
    }
    try {
      byte[] canonical = signed.canonical(row.id(), concrete.getValues(entity), (item, value) -> stored(row, item),
          Envelope.footerBindsTable(row.footer()), TenantKeys.tenantOf(session));
      envelope.verifyRow(row.footer(), canonical);
    } catch (KeyDestroyedException e) {
      throw new EncryptedReadException("RS-4202", table.entityName, String.valueOf(row.id()),
          "the key of its row signature was destroyed: " + e.getMessage(), e);
    } catch (IntegrityException e) {
      throw new EncryptedReadException("RS-4204", table.entityName, String.valueOf(row.id()), "its row signature "
          + "does not verify, so the job does not re-sign it (" + e.getMessage() + ")", e);
    }
  }

  private byte[] stored(MigrationTable.Raw row, SignedEntity.Sealed item) {
    for (int i = 0; i < table.sealed.size(); i++) {
      if (table.sealed.get(i).attribute().equals(item.attribute())) {
        Object v = row.values()[i];
        try {
          return v instanceof String text ? Envelope.fromText(text) : (byte[]) v;
        } catch (IntegrityException e) {
          return new byte[0]; // fails the MAC, as a foreign value would
        }
      }
    }
    return new byte[0];
  }

  private interface Work<T> {
    T run();
  }

  private <T> T inTransaction(Work<T> work) {
    Transaction tx = session.beginTransaction();
    try {
      T result = work.run();
      tx.commit();
      return result;
    } catch (RuntimeException e) {
      if (tx.isActive()) {
        tx.rollback();
      }
      throw e;
    }
  }

  /** Runs {@code work} (or takes {@code step}) and moves the checkpoint, in one transaction. */
  private void advance(String lastId, Step step, boolean finished, Work<Step> work) {
    SharedSessionContractImplementor si = (SharedSessionContractImplementor) session;
    Step done = inTransaction(() -> {
      Step s = work == null ? step : work.run();
      checkpoint.advance(si, state.step(), lastId, s.counts(), s.failed(), finished);
      return s;
    });
    state = new MigrationCheckpoint.State(lastId, state.step() + 1, state.counts().plus(done.counts()),
        state.resumed());
  }

  /** Lock conflicts and deadlocks (SQL state class 40, or a lock timeout): worth another attempt. */
  private static boolean transient_(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.exception.LockAcquisitionException
          || t instanceof org.hibernate.PessimisticLockException
          || t instanceof jakarta.persistence.LockTimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  /** Why a row failed, without values: the first rowseal message in the chain, else the exception types. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RowsealException r) {
        return r.getMessage();
      }
    }
    StringBuilder types = new StringBuilder("RS-4504: ");
    for (Throwable t = e; t != null; t = t.getCause()) {
      types.append(t == e ? "" : " <- ").append(t.getClass().getName());
      if (t instanceof SQLException sql) {
        types.append(" (SQL state ").append(sql.getSQLState()).append(')');
      }
    }
    return types.toString();
  }
}
