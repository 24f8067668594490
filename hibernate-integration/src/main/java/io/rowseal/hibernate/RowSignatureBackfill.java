package io.rowseal.hibernate;

import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.CompositeIdentifierMapping;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Signs the rows of an entity that were written before rowseal signed rows (their footer column is
 * {@code NULL}): each such row is read and written back through a {@link StatelessSession}, which
 * re-encrypts its values under a new data key and writes its footer. Works whatever
 * {@code rowseal.row-signature.require} says: its own session may read unsigned rows.
 *
 * <pre>{@code
 * long signed = RowSignatureBackfill.run(sessionFactory, Customer.class);
 * }</pre>
 *
 * <p>Run it once, right after adding the footer column, and then require signatures: it signs whatever
 * the unsigned rows hold at that moment, including a value someone moved there before. Works in
 * transactions of {@value #BATCH} rows; entities with a single-column id only.
 */
public final class RowSignatureBackfill {
  static final int BATCH = 100;

  private RowSignatureBackfill() {}

  /**
   * Signs every unsigned row of {@code entityType}'s table (its whole hierarchy).
   *
   * @return how many rows were signed
   * @throws IllegalArgumentException if the entity's rows are not signed or its id has several columns
   */
  public static long run(SessionFactory sessionFactory, Class<?> entityType) {
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(entityType);
    RowSignatures signatures = RowSignatures.of(factory);
    SignedEntity entity = signatures == null ? null : signatures.entity(persister);
    if (entity == null) {
      throw new IllegalArgumentException("rows of " + persister.getEntityName() + " are not signed "
          + "(no @Encrypted attribute, or " + RowsealSettings.ROW_SIGNATURE + "=false)");
    }
    if (persister.getIdentifierMapping() instanceof CompositeIdentifierMapping) {
      throw new IllegalArgumentException(persister.getEntityName() + " has a composite id; sign its rows "
          + "by reading each with StatelessSession.get and writing it back with StatelessSession.update");
    }
    Class<?> idType = persister.getIdentifierMapping().getJavaType().getJavaTypeClass();
    long signed = 0;
    Object previousFirst = null;
    try (StatelessSession session = factory.openStatelessSession()) {
      signatures.loaded().allowUnsigned(session);
      while (true) {
        var tx = session.beginTransaction();
        List<?> ids = session.createNativeQuery(entity.unsignedIdsQuery(), idType).setMaxResults(BATCH)
            .getResultList();
        if (!ids.isEmpty() && ids.get(0).equals(previousFirst)) {
          tx.rollback();
          throw new IllegalStateException("row " + previousFirst + " of " + entity.name + " stayed unsigned "
              + "after it was written back");
        }
        for (Object id : ids) {
          session.update(session.get(entityType, id));
          signed++;
        }
        tx.commit();
        if (ids.size() < BATCH) {
          return signed;
        }
        previousFirst = ids.get(0);
      }
    }
  }
}
