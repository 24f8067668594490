package io.rowseal.agent.hibernate;

import io.rowseal.agent.bootstrap.AgentContext;
import io.rowseal.agent.bootstrap.RowsealBridge;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Runs while each {@code SessionFactory} is built (Hibernate calls integrators from the session
 * factory's constructor, before its runtime metamodel exists) and checks, on the boot metamodel, that
 * every configured field Hibernate maps will be encrypted; otherwise it aborts the build with the list
 * of fields and why (fail closed). Discovered through the same service files, in the same class loader,
 * as the rowseal integration itself: if this runs, so does it.
 */
public final class AgentIntegrator implements Integrator {

  @Override
  public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory) {
    AgentContext agent = RowsealBridge.context();
    MappingVerifier verifier = new MappingVerifier(agent.encryptedFields());
    verifier.verify(metadata);
    agent.sessionFactoryVerified(sessionFactory, verifier.problems(), verifier.warnings());
    if (!agent.migrateEntities().isEmpty()) {
      sessionFactory.addObserver(new AgentMigration(agent));
    }
  }

  /**
   * Nothing to undo. Declared because Hibernate 6.6 has no default for it (7 has): without it, closing a
   * session factory on 6.6 throws {@code AbstractMethodError}.
   */
  @Override
  public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
  }
}
