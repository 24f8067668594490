package io.rowseal.agent.bootstrap;

/**
 * The static entry points that the hooks woven into Hibernate's constructors call, and the handle through
 * which the library glue reaches the running agent. Loaded by the bootstrap class loader, so visible
 * from every class loader, whatever loads Hibernate.
 *
 * <p>Thread-safe: the context is set once, by the agent's installer, before any class is transformed.
 */
public final class RowsealBridge {

  private static volatile AgentContext context;

  private RowsealBridge() {}

  /** Called once by the agent's installer. */
  public static synchronized void install(AgentContext agentContext) {
    if (context != null) {
      throw new AgentException("RS-6006 the rowseal agent is already installed in this JVM (loaded twice?)");
    }
    context = agentContext;
  }

  /** The running agent. */
  public static AgentContext context() {
    AgentContext current = context;
    if (current == null) {
      throw new AgentException("RS-6201 the rowseal agent is not installed, yet its hooks run: "
          + "a class transformed by an earlier agent run was reused");
    }
    return current;
  }

  /** Normal exit of every {@code BootstrapServiceRegistryBuilder} constructor. */
  public static void bootstrapRegistryBuilderCreated(Object builder, Class<?> builderType) {
    context().bootstrapRegistryBuilderCreated(builder, builderType);
  }

  /** Normal exit of every {@code SessionFactoryImpl} constructor. */
  public static void sessionFactoryCreated(Object sessionFactory) {
    context().sessionFactoryCreated(sessionFactory);
  }
}
