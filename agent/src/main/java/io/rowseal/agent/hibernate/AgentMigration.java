package io.rowseal.agent.hibernate;

import io.rowseal.agent.bootstrap.AgentContext;
import io.rowseal.hibernate.MigrationReport;
import io.rowseal.hibernate.RowMigration;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.registry.classloading.spi.ClassLoaderService;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The migration job for an agent user, who has nothing but the agent jar and its configuration: once a
 * session factory that maps the entities named by {@code rowseal.agent.migrate} is built, rowseal's
 * {@link RowMigration} rewrites their existing rows (legacy plaintext, older branch keys, missing row
 * signatures) online, in a daemon thread beside the application, or before the factory is handed over
 * with {@code rowseal.agent.migrate-at-start=true}. Progress and the report go to the agent's log. The
 * job is resumable: a restart of the application continues where it stopped (docs/MIGRATION.md).
 */
final class AgentMigration implements SessionFactoryObserver {
  private static final long serialVersionUID = 1L;

  private final transient AgentContext agent;

  AgentMigration(AgentContext agent) {
    this.agent = agent;
  }

  @Override
  public void sessionFactoryCreated(SessionFactory factory) {
    if (agent.migrateAtStart()) {
      migrate(factory);
    } else {
      Thread job = new Thread(() -> migrate(factory), "rowseal-migration");
      job.setDaemon(true);
      job.start();
    }
  }

  private void migrate(SessionFactory factory) {
    ClassLoaderService classes = factory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
        .requireService(ClassLoaderService.class);
    for (String name : agent.migrateEntities()) {
      Class<?> entity;
      try {
        entity = classes.classForName(name);
        factory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel().getEntityDescriptor(entity);
      } catch (RuntimeException e) {
        agent.info("migration: " + name + " is not an entity of this session factory; skipped");
        continue;
      }
      String label = entity.getSimpleName();
      agent.info("migration of " + label + " starts");
      try {
        MigrationReport report = RowMigration.of(factory, entity)
            .progress(p -> agent.info(String.format("migration of %s: %d/%d rows, %.0f rows/s, ETA %ds", label,
                p.done(), p.total(), p.rowsPerSecond(), p.eta().toSeconds())))
            .run();
        agent.info("migration of " + label + " done: " + report);
      } catch (RuntimeException e) {
        agent.info("migration of " + label + " failed, run it again to resume: " + e);
      }
    }
  }
}
