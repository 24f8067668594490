package io.rowseal.hibernate;

import io.rowseal.envelope.BlindIndexKeys;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Key operations on the envelope rowseal started for a session factory, for applications that configure
 * rowseal through {@code rowseal.*} settings only (no {@link Envelope} of their own): rotating a branch
 * key before the migration job moves the old rows, rotating the index key of blind indexes before the job
 * re-indexes them ({@code docs/MIGRATION.md}). Thread-safe.
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

  /**
   * Adds a new ACTIVE version of the index key of the factory's branch key ({@code <branch-key-id>:index});
   * new rows are indexed under it, searches find rows under it and the version before, and the migration
   * job re-indexes the older rows.
   *
   * @throws MigrationException {@code RS-4508} if rows of a searchable attribute still carry tags under a
   *     version older than the active one: searches would no longer find them after this rotation
   */
  public static BranchKeyRef rotateIndexKey(SessionFactory sessionFactory) {
    StartedFactory started = started(sessionFactory);
    String keyId = started.rowWrites().keyId(null);
    return rotateIndexKey(sessionFactory, keyId != null ? keyId : started.rowWrites().envelope().activeBranchKey().keyId());
  }

  /**
   * Adds a new ACTIVE version of the index key of branch key {@code branchKeyId} (a tenant's,
   * {@code <branch-key-id>.<tenant>}). Refuses as {@link #rotateIndexKey(SessionFactory)} does; the check
   * reads every searchable column and does not tell tenants apart.
   */
  public static BranchKeyRef rotateIndexKey(SessionFactory sessionFactory, String branchKeyId) {
    StartedFactory started = started(sessionFactory);
    BlindIndexKeys keys = started.rowWrites().envelope().blindIndexKeys();
    String indexKeyId = BlindIndexKeys.indexKeyId(branchKeyId);
    BranchKeyRef active = keys.active(indexKeyId);
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
    List<String> behind = new ArrayList<>();
    try {
      Connection c = connections.getConnection();
      try {
        for (EncryptedMappings.Found f : started.attributes()) {
          SearchIndex index = f.jdbcType().search();
          long rows = index == null ? 0 : index.tagsBelow(c, active.version());
          if (rows > 0) {
            behind.add(rows + " of " + index.attribute());
          }
        }
      } finally {
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new MigrationException("RS-4508", "cannot rotate index key '" + indexKeyId + "': counting the rows "
          + "still under older versions failed (" + e.getSQLState() + "): " + e.getMessage(), e);
    }
    if (!behind.isEmpty()) {
      throw new MigrationException("RS-4508", "cannot rotate index key '" + indexKeyId + "' past version "
          + active.version() + ": rows still carry blind-index tags under an older version (" + String.join(", ", behind)
          + "), which searches would no longer find; re-index them with the migration job (RowMigration, "
          + "MigrationCommand) first");
    }
    return keys.rotate(indexKeyId);
  }

  private static Envelope envelope(SessionFactory sessionFactory) {
    return started(sessionFactory).rowWrites().envelope();
  }

  private static StartedFactory started(SessionFactory sessionFactory) {
    StartedFactory started = StartedFactory.of(sessionFactory.unwrap(SessionFactoryImplementor.class));
    if (started == null) {
      throw new IllegalArgumentException("rowseal encrypts nothing in this session factory: no branch key to rotate");
    }
    return started;
  }
}
