package io.rowseal.hibernate;

import java.util.List;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;

/**
 * What rowseal started for one session factory, for the APIs that take a session factory
 * ({@link RowsealSchema}, {@link RowsealInventory}, {@link RowSignatureBackfill}): its encrypted attributes,
 * footer columns, transition reads, row writes and row signatures ({@code null} if rows are not signed).
 * Held by its {@link RowWriteListener}, so it lives and dies with the factory.
 */
record StartedFactory(List<EncryptedMappings.Found> attributes, List<RowSignatures.Footer> footers,
    LegacyPlaintext legacy, RowWrites rowWrites, RowSignatures signatures) {

  /** rowseal's state in {@code factory}, or {@code null} if it encrypts nothing. */
  static StartedFactory of(SessionFactoryImplementor factory) {
    for (Object listener : factory.getServiceRegistry().requireService(EventListenerRegistry.class)
        .getEventListenerGroup(EventType.PRE_INSERT).listeners()) {
      if (listener instanceof RowWriteListener writes) {
        return writes.started();
      }
    }
    return null;
  }
}
