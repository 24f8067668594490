package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.RowEncryptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every row write its own data key. {@link RowWriteListener} opens a scope on the pre-insert or
 * pre-update event of an entity and closes it on the post event; Hibernate binds all of that row's
 * column values in between, on the same thread (also with JDBC batching: values are bound when the row
 * is added to the batch, only execution is deferred). Every encrypted value bound inside the scope
 * shares the scope's {@link RowEncryptor}, made lazily on the first one, so a row costs one DEK wrap
 * and a row without encrypted values none.
 *
 * <p>Values bound outside any scope — HQL bulk updates, typed native-query parameters — get a DEK of
 * their own. A scope only serves binds of its own session, and each attribute once: a second bind of
 * the same attribute cannot belong to the same row write (a batch being re-bound for a retry), so it
 * gets a DEK of its own too.
 *
 * <p>A signed row write (an entity with a row footer) carries a {@link RowPlan} instead: its values
 * were encrypted and the row signed before binding, and the binders only look them up
 * ({@link #sealed}, {@link #footer}). Thread-safe: scopes are per thread, the {@link Envelope} is
 * shared.
 */
final class RowWrites implements AutoCloseable {
  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private final EnvelopeStart start;
  /** {@code start}'s envelope once joined: read on every value, so a field, not a wait. */
  private volatile Envelope envelope;
  private volatile TenantKeys tenants;

  RowWrites(Envelope envelope, boolean ownsEnvelope) {
    this(envelope, ownsEnvelope, null);
  }

  RowWrites(Envelope envelope, boolean ownsEnvelope, AutoCloseable ownedKms) {
    this(EnvelopeStart.done(new EnvelopeStart.Built(envelope, ownsEnvelope, ownedKms)));
  }

  /** Row writes under the envelope {@code start} is building; {@link #join} waits for it. */
  RowWrites(EnvelopeStart start) {
    this.start = start;
  }

  /**
   * Waits until the envelope is built; throws what its start threw. {@link RowsealIntegrator} calls it before
   * the session factory is returned, so no row is written or read before.
   */
  void join() {
    if (envelope == null) {
      long t0 = System.nanoTime();
      envelope();
      org.slf4j.LoggerFactory.getLogger(RowWrites.class).debug("rowseal's envelope started in {} ms on its own "
          + "thread; the boot waited {} ms for it", start.buildMillis(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  Envelope envelope() {
    Envelope e = envelope;
    return e != null ? e : (envelope = start.join().envelope());
  }

  private final ReadFailures readFailures = new ReadFailures();

  /** The integrity failures on read of this session factory. */
  ReadFailures readFailures() {
    return readFailures;
  }

  /** Sets which branch key each row write goes under (per tenant, or the envelope's own). */
  void tenants(TenantKeys tenants) {
    this.tenants = tenants;
  }

  /** The branch key a row written in {@code session} goes under, or {@code null} for the envelope's own. */
  String keyId(Object session) {
    TenantKeys t = tenants;
    return t == null ? null : t.keyId(session);
  }

  /** A row write's encryptor, under the branch key of {@code session}'s rows. */
  io.rowseal.envelope.RowEncryptor beginRow(Object session) {
    String keyId = keyId(session);
    Envelope e = envelope();
    return keyId == null ? e.beginRow() : e.beginRow(keyId);
  }

  /** Starts the row write of one entity in {@code session}; ends any scope the thread still had. */
  static void begin(Object session) {
    begin(session, null);
  }

  /** Starts a signed row write, prepared as {@code plan} (or an unsigned one if {@code null}). */
  static void begin(Object session, RowPlan plan) {
    Scope stale = CURRENT.get();
    if (stale != null) {
      stale.close();
    }
    CURRENT.set(new Scope(session, plan));
  }

  /** Ends whatever scope the thread still has (left behind by a row write that failed before its post event). */
  static void drop() {
    Scope stale = CURRENT.get();
    if (stale != null) {
      stale.close();
      CURRENT.remove();
    }
  }

  /** The plan of the signed row write under way in {@code session}, or {@code null}. */
  static RowPlan plan(Object session) {
    Scope scope = current(session);
    return scope == null ? null : scope.plan;
  }

  /** The thread's scope if it belongs to {@code session}; drops one left behind by another session. */
  private static Scope current(Object session) {
    Scope scope = CURRENT.get();
    if (scope == null || session == null) {
      return scope;
    }
    if (scope.session == null) {
      scope.session = session;
      return scope;
    }
    if (scope.session != session) {
      // Left behind by a row write that failed before its post event: drop it and its DEK.
      scope.close();
      CURRENT.remove();
      return null;
    }
    return scope;
  }

  /** Ends the row write begun in {@code session}, destroying its DEK. */
  static void end(Object session) {
    Scope scope = CURRENT.get();
    if (scope != null && (scope.session == session || session == null)) {
      scope.close();
      CURRENT.remove();
    }
  }

  /** Encrypts one value of {@code attribute}: under the current row's DEK, or under one of its own. */
  byte[] seal(byte[] plaintext, EncryptedAttribute attribute, Object session) {
    Scope scope = current(session);
    if (scope != null && scope.plan == null && scope.claim(attribute)) {
      return scope.encryptor(this).encrypt(plaintext, attribute.context());
    }
    try (io.rowseal.envelope.RowEncryptor row = beginRow(session)) {
      return row.encrypt(plaintext, attribute.context());
    }
  }

  /**
   * The stored form of a signed attribute's value, prepared by the current row write of
   * {@code session}; {@code null} if there is none for it (the value is bound outside a row write).
   */
  byte[] sealed(byte[] plaintext, EncryptedAttribute attribute, Object session) {
    RowPlan plan = plan(session);
    return plan == null ? null : plan.stored(attribute, plaintext);
  }

  /**
   * The footer to bind for {@code column} in the current row write of {@code session}; {@code null}
   * while the database has yet to make the row's id.
   *
   * @throws EncryptedWriteException outside a row write of that entity
   */
  byte[] footer(Object session, FooterJdbcType column) {
    RowPlan plan = plan(session);
    if (plan == null || plan.entity().footerType != column) {
      throw new EncryptedWriteException("RS-4104", column.entityName(), "its row signature can only be "
          + "written by an entity insert or update, and this statement writes the row outside one", null);
    }
    return plan.footer();
  }

  Envelope.Opened open(byte[] stored, EncryptedAttribute attribute) throws IntegrityException {
    return envelope().open(stored, attribute.context());
  }

  /** Closes what was started for the factory; waits for a start still under way (a boot that failed first). */
  @Override
  public void close() {
    EnvelopeStart.Built built = start.joinQuietly();
    if (built == null) {
      return; // the start failed, and closed what it had made (EnvelopeFactory)
    }
    if (built.ownsEnvelope()) {
      built.envelope().close();
    }
    if (built.ownedKms() != null) {
      try {
        built.ownedKms().close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(RowWrites.class).warn("closing {} failed", built.ownedKms(), e);
      }
    }
  }

  /** One row write: its session, its lazily made encryptor and the attributes it has bound, or its plan. */
  private static final class Scope {
    /**
     * The session writing the row; {@code null} until the first bind when the event named none (Hibernate
     * 6.6's StatelessSession fires its row-write events without a session): the row is bound on this
     * thread right after its pre event, so the first session that binds under the scope is its session.
     */
    Object session;
    final RowPlan plan;
    List<EncryptedAttribute> bound; // unsigned row writes only
    RowEncryptor encryptor;

    Scope(Object session, RowPlan plan) {
      this.session = session;
      this.plan = plan;
    }

    boolean claim(EncryptedAttribute attribute) {
      if (bound == null) {
        bound = new ArrayList<>(4);
      }
      for (EncryptedAttribute a : bound) {
        if (a == attribute) {
          return false;
        }
      }
      bound.add(attribute);
      return true;
    }

    RowEncryptor encryptor(RowWrites writes) {
      if (encryptor == null) {
        encryptor = writes.beginRow(session);
      }
      return encryptor;
    }

    void close() {
      if (encryptor != null) {
        encryptor.close();
        encryptor = null;
      }
      if (plan != null) {
        plan.close();
      }
    }
  }
}
