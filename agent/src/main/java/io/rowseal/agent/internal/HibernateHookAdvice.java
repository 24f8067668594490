package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.RowsealBridge;
import net.bytebuddy.asm.Advice;

/**
 * The advice woven into two Hibernate classes. It is inlined into Hibernate's own bytecode, so it may
 * only name JDK types and the bootstrap {@link RowsealBridge}, which every class loader sees; the
 * work happens behind the bridge.
 */
final class HibernateHookAdvice {

  static final String BOOTSTRAP_REGISTRY_BUILDER = "org.hibernate.boot.registry.BootstrapServiceRegistryBuilder";
  static final String SESSION_FACTORY = "org.hibernate.internal.SessionFactoryImpl";

  private HibernateHookAdvice() {}

  /** Exit of every {@code BootstrapServiceRegistryBuilder} constructor: add the rowseal library. */
  static final class RegistryBuilderCreated {
    private RegistryBuilderCreated() {}

    @Advice.OnMethodExit
    static void exit(@Advice.This Object builder, @Advice.Origin Class<?> builderType) {
      RowsealBridge.bootstrapRegistryBuilderCreated(builder, builderType);
    }
  }

  /** Exit of every {@code SessionFactoryImpl} constructor: refuse a factory that rowseal did not verify. */
  static final class SessionFactoryCreated {
    private SessionFactoryCreated() {}

    @Advice.OnMethodExit
    static void exit(@Advice.This Object sessionFactory) {
      RowsealBridge.sessionFactoryCreated(sessionFactory);
    }
  }
}
