package io.rowseal.hibernate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.hibernate.mapping.PersistentClass;

/**
 * Starts rowseal for a session factory that has {@code @Encrypted} attributes: builds its
 * {@link io.rowseal.envelope.Envelope} from the {@code rowseal.*} settings, hands it to every
 * attribute's JDBC type, brackets entity row writes with {@link RowWriteListener}, verifies the row
 * signature of every entity load ({@link RowVerifier}), checks the encrypted and footer columns once
 * the schema is in place ({@link ColumnCheck}) and closes the envelope with the factory.
 * A factory without encrypted attributes is left alone. Found through {@link java.util.ServiceLoader}.
 */
public final class RowsealIntegrator implements Integrator {

  @Override
  public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory) {
    HibernateLine.check();
    List<EncryptedMappings.Found> attributes = EncryptedMappings.scan(metadata.getEntityBindings());
    if (attributes.isEmpty()) {
      return;
    }
    var registry = sessionFactory.getServiceRegistry();
    RowsealSettings settings =
        RowsealSettings.from(registry.requireService(ConfigurationService.class).getSettings());
    // The key backend starts on its own thread while Hibernate builds the rest of the factory; joined below.
    RowWrites rowWrites = EnvelopeFactory.start(settings, registry);
    try {
      wire(metadata, bootstrapContext, sessionFactory, attributes, settings, rowWrites);
    } catch (RuntimeException | Error e) {
      // Built in place, the envelope's failure came first: it still does. Either way nothing is left running.
      rowWrites.join();
      rowWrites.close();
      throw e;
    }
  }

  private static void wire(Metadata metadata, BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory, List<EncryptedMappings.Found> attributes, RowsealSettings settings,
      RowWrites rowWrites) {
    var registry = sessionFactory.getServiceRegistry();
    rowWrites.tenants(settings.tenantKeys());
    RowSignatures signatures = settings.rowSignature()
        ? RowSignatures.of(metadata, attributes, rowWrites, settings) : null;
    var dialect = sessionFactory.getJdbcServices().getDialect();
    LegacyPlaintext legacy = new LegacyPlaintext(settings.transitionReadPlaintext());
    for (EncryptedMappings.Found f : attributes) {
      EncryptedJdbcType jdbcType = f.jdbcType();
      jdbcType.start(rowWrites, RowIdLookup.of(f.value(), dialect, sessionFactory.getSqlStringGenerationContext()),
          signatures != null && jdbcType.attribute().signed() ? signatures.loaded() : null, legacy);
      if (jdbcType.search() != null) {
        jdbcType.search().start(rowWrites, sessionFactory.getSqlStringGenerationContext()
            .format(f.value().getTable().getQualifiedTableName()), ((org.hibernate.mapping.Column) f.value().getColumn())
            .getQuotedName(dialect));
      }
    }
    EventListenerRegistry listeners = registry.requireService(EventListenerRegistry.class);
    Set<PersistentClass> roots = RowFooterMappings.roots(attributes);
    Set<String> encrypting = new HashSet<>();
    for (PersistentClass entity : metadata.getEntityBindings()) {
      if (roots.contains(entity.getRootClass())) {
        encrypting.add(entity.getEntityName());
      }
    }
    List<RowSignatures.Footer> footers = signatures == null ? List.of() : signatures.footers();
    RowWriteListener writes = new RowWriteListener(signatures, encrypting,
        new StartedFactory(attributes, footers, legacy, rowWrites, signatures));
    listeners.appendListeners(EventType.PRE_INSERT, writes);
    listeners.appendListeners(EventType.POST_INSERT, writes);
    listeners.appendListeners(EventType.PRE_UPDATE, writes);
    listeners.appendListeners(EventType.POST_UPDATE, writes);
    listeners.appendListeners(EventType.PRE_UPSERT, writes);
    listeners.appendListeners(EventType.POST_UPSERT, writes);
    if (signatures != null) {
      listeners.appendListeners(EventType.PRE_LOAD, new RowVerifier(signatures));
    }
    boolean validating = validatesSchema(registry.requireService(ConfigurationService.class).getSettings());
    if (validating) {
      // Hibernate's validator runs before any observer rowseal adds and would fail first ("wrong column
      // type ... expecting bytea", "missing column [rowseal_sig]") without saying what to run; validate
      // changes nothing, so the check runs now and its RS-43xx message, with the DDL, reaches the user.
      new ColumnCheck(sessionFactory, bootstrapContext.getTypeConfiguration()).run(attributes, footers, settings.columnCheck());
    }
    sessionFactory.addObserver(new SessionFactoryObserver() {
      @Override
      public void sessionFactoryCreated(SessionFactory factory) {
        // The last observer (Hibernate's schema action ran before it): the factory is not returned, nor a row
        // written, before the envelope is built, and a backend that failed to start fails the boot here.
        rowWrites.join();
        if (!validating) {
          new ColumnCheck(sessionFactory, bootstrapContext.getTypeConfiguration()).run(attributes, footers, settings.columnCheck());
        }
      }

      @Override
      public void sessionFactoryClosed(SessionFactory factory) {
        rowWrites.close();
      }
    });
  }

  /** Whether Hibernate's schema management is to validate the schema (and change nothing). */
  static boolean validatesSchema(java.util.Map<String, Object> settings) {
    for (String key : List.of("hibernate.hbm2ddl.auto", "jakarta.persistence.schema-generation.database.action",
        "javax.persistence.schema-generation.database.action")) {
      Object action = settings.get(key);
      if (action != null && "validate".equalsIgnoreCase(action.toString().trim())) {
        return true;
      }
    }
    return false;
  }

  /** Abstract in Hibernate 6.6, a default in 7; the envelope closes with the factory (above). */
  @Override
  public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry registry) {
  }
}
