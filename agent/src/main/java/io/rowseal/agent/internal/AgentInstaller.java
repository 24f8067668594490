package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentException;
import io.rowseal.agent.bootstrap.JarSectionClassLoader;
import io.rowseal.agent.bootstrap.RowsealBridge;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs the agent, in its own class loader: reads the configuration, registers the
 * {@link HibernateWiring} with the bootstrap bridge, and installs one Byte Buddy {@link AgentBuilder}
 * that transforms only the configured classes and two Hibernate classes. Configured as the
 * OpenTelemetry agent is: {@code disableClassFormatChanges()} (a transformed class keeps its fields and
 * methods, so retransformation works), explicit {@code ignore(...)}, and a listener that reports errors
 * only (with their stack trace, never swallowed).
 */
public final class AgentInstaller {

  private AgentInstaller() {}

  /** Called reflectively by {@code io.rowseal.agent.RowsealAgent}. */
  public static void install(Instrumentation instrumentation, String arguments, boolean attached,
      JarFile jar, File jarPath) {
    long start = System.nanoTime();
    AgentConfig config = AgentConfig.load(AgentArguments.parse(arguments).config());
    if (attached) {
      refuseIfHibernateStarted(instrumentation);
    }
    TargetTracker tracker = new TargetTracker(config.targets());
    HibernateWiring wiring = new HibernateWiring(jar, jarPath, config, tracker);
    RowsealBridge.install(wiring);

    Map<String, List<Target>> targetsByClass = new LinkedHashMap<>();
    for (Target target : config.targets()) {
      targetsByClass.computeIfAbsent(target.className(), name -> new ArrayList<>()).add(target);
    }
    List<String> transformed = new ArrayList<>(targetsByClass.keySet());
    transformed.add(HibernateHookAdvice.BOOTSTRAP_REGISTRY_BUILDER);
    transformed.add(HibernateHookAdvice.SESSION_FACTORY);

    // as the OpenTelemetry agent: no type validation, and a method graph of declared methods only, so that
    // transforming a class never resolves its whole type hierarchy
    ByteBuddy byteBuddy = new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    new AgentBuilder.Default(byteBuddy)
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new ErrorsOnlyListener(tracker))
        // everything but the named classes, and anything our own class loaders define
        .ignore(not(namedOneOf(transformed.toArray(new String[0]))))
        .or(type -> true, loader -> loader instanceof JarSectionClassLoader)
        .type(namedOneOf(targetsByClass.keySet().toArray(new String[0])))
        .transform(new EncryptedFieldAnnotator(targetsByClass, tracker))
        .type(named(HibernateHookAdvice.BOOTSTRAP_REGISTRY_BUILDER))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(HibernateHookAdvice.RegistryBuilderCreated.class).on(isConstructor())))
        .type(named(HibernateHookAdvice.SESSION_FACTORY))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(HibernateHookAdvice.SessionFactoryCreated.class).on(isConstructor())))
        .installOn(instrumentation);

    Runtime.getRuntime().addShutdownHook(new Thread(wiring::reportAtShutdown, "rowseal-agent-shutdown"));
    AgentLog.info("rowseal-agent " + version(jar) + (attached ? " attached" : " installed") + ": "
        + config.targets().size() + " field(s) of " + targetsByClass.size() + " class(es) from "
        + config.source() + (config.strict() ? " (strict)" : "") + " in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  /**
   * Attaching to a JVM whose Hibernate already built a session factory cannot work: its mapping is
   * fixed, and rows may already have been written in plaintext.
   */
  private static void refuseIfHibernateStarted(Instrumentation instrumentation) {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (loaded.getName().equals(HibernateHookAdvice.SESSION_FACTORY)) {
        throw new AgentException("RS-6007 cannot attach: Hibernate has already built a SessionFactory in "
            + "this JVM (loaded by " + loaded.getClassLoader() + "), whose mapping is fixed; start the "
            + "application with -javaagent instead");
      }
    }
  }

  private static String version(JarFile jar) {
    try {
      String version = jar.getManifest() == null ? null
          : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
      return version == null ? "(unknown version)" : version;
    } catch (IOException e) {
      return "(unknown version)";
    }
  }

  /** Reports transformation errors only, with their stack trace; marks the class's targets as failed. */
  private static final class ErrorsOnlyListener extends AgentBuilder.Listener.Adapter {

    private final TargetTracker tracker;

    ErrorsOnlyListener(TargetTracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      tracker.failed(typeName);
      AgentLog.error("RS-6101 cannot transform " + typeName + " (loaded by " + classLoader + "); "
          + "its configured fields stay unannotated and any SessionFactory mapping them will refuse to "
          + "start (RS-6205)", throwable);
    }
  }
}
