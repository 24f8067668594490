package io.rowseal.agent.bootstrap;

import java.util.List;
import java.util.Map;

/**
 * What the hooks woven into Hibernate and the library glue next to Hibernate may ask of the running
 * agent. Only JDK types cross this interface: its callers live in class loaders that cannot see the
 * agent's implementation, and the agent's implementation cannot see Hibernate.
 *
 * <p>Implementations are thread-safe.
 */
public interface AgentContext {

  /**
   * A {@code org.hibernate.boot.registry.BootstrapServiceRegistryBuilder} was just constructed:
   * make the rowseal library visible to the registry it will build.
   *
   * @param builder the new builder
   * @param builderType the instrumented builder class (its loader is the one holding Hibernate)
   * @throws AgentException when the library cannot be installed there (fail closed)
   */
  void bootstrapRegistryBuilderCreated(Object builder, Class<?> builderType);

  /**
   * A {@code org.hibernate.internal.SessionFactoryImpl} was just constructed.
   *
   * @throws AgentException when the agent's integrator did not verify this session factory, i.e.
   *     Hibernate was bootstrapped without the rowseal library (fail closed)
   */
  void sessionFactoryCreated(Object sessionFactory);

  /** The {@code rowseal.*} settings of the agent configuration that go to Hibernate, by key. */
  Map<String, String> hibernateSettings();

  /** Entity classes whose existing rows the migration job rewrites ({@code rowseal.agent.migrate}). */
  java.util.List<String> migrateEntities();

  /** Whether that job runs before the session factory is handed over ({@code rowseal.agent.migrate-at-start}). */
  boolean migrateAtStart();

  /** An informational line on the agent's log (standard error, prefixed). */
  void info(String message);

  /** Where the configuration came from, for messages (a file path). */
  String configSource();

  /**
   * The fields to encrypt, keyed {@code fully.qualified.Class#field}, each with the logical name
   * bound into its values ({@code ""} for the default), the config line that names it, and
   * {@code "searchable"} when the configuration makes it searchable ({@code ""} otherwise).
   */
  Map<String, String[]> encryptedFields();

  /**
   * The library glue verified the mapping of a session factory under construction.
   *
   * @param sessionFactory the session factory being built
   * @param problems why a configured field would not be encrypted; empty when all is well
   * @param warnings what is odd but harmless
   * @throws AgentException when problems is not empty, or in strict mode when a configured target
   *     never loaded; this aborts the session factory's construction
   */
  void sessionFactoryVerified(Object sessionFactory, List<String> problems, List<String> warnings);

  /** Logs a warning the way the agent does (stderr, {@code [rowseal-agent] WARN}). */
  void warn(String message);
}
