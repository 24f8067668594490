package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRef;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Key operations on the envelope rowseal started for a session factory, for applications that configure
 * rowseal through {@code rowseal.*} settings only (no {@link Envelope} of their own): rotating a branch
 * key before the migration job moves the old rows ({@code docs/MIGRATION.md}). Thread-safe.
 */
public final class RowsealKeys {
  private RowsealKeys() {}

  /** Adds a new ACTIVE version of the factory's branch key ({@code rowseal.branch-key-id}); new rows go under it. */
  public static BranchKeyRef rotateBranchKey(SessionFactory sessionFactory) {
    Envelope envelope = envelope(sessionFactory);
    return envelope.rotateBranchKey();
  }

  /** Adds a new ACTIVE version of branch key {@code branchKeyId} (a tenant's, {@code <branch-key-id>.<tenant>}). */
  public static BranchKeyRef rotateBranchKey(SessionFactory sessionFactory, String branchKeyId) {
    return envelope(sessionFactory).rotateBranchKey(branchKeyId);
  }

  private static Envelope envelope(SessionFactory sessionFactory) {
    StartedFactory started = StartedFactory.of(sessionFactory.unwrap(SessionFactoryImplementor.class));
    if (started == null) {
      throw new IllegalArgumentException("rowseal encrypts nothing in this session factory: no branch key to rotate");
    }
    return started.rowWrites().envelope();
  }
}
