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

/**
 * Installs the agent, in its own class loader: reads the configuration, registers the
 * {@link HibernateWiring} with the bootstrap bridge, and adds one retransformation-capable
 * {@link RowsealTransformer} that transforms only the configured classes and two Hibernate classes, then
 * retransforms those of them already loaded (an attach, or an earlier agent). A transformed class keeps its
 * fields and methods, so retransformation works; errors are reported with their stack trace, never swallowed.
 *
 * <p>A plain transformer over the ASM that Byte Buddy bundles, not Byte Buddy's {@code AgentBuilder}: the
 * builder defined ~1,000 classes in the agent's class loader, which was nearly all of {@code premain}'s
 * time (docs/AGENT.md, "Start-up cost").
 */
public final class AgentInstaller {

  private AgentInstaller() {}

  /**
   * Called reflectively by {@code io.rowseal.agent.RowsealAgent}; {@code startNanos} is
   * {@link System#nanoTime()} at the entry of its {@code premain}/{@code agentmain}, for the INFO line.
   */
  public static void install(Instrumentation instrumentation, String arguments, boolean attached,
      JarFile jar, File jarPath, long startNanos) {
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
    RowsealTransformer transformer = new RowsealTransformer(new EncryptedFieldAnnotator(targetsByClass, tracker),
        tracker);
    instrumentation.addTransformer(transformer, true);
    retransformLoaded(instrumentation, transformer, tracker);

    Runtime.getRuntime().addShutdownHook(new Thread(wiring::reportAtShutdown, "rowseal-agent-shutdown"));
    AgentLog.info("rowseal-agent " + version(jar) + (attached ? " attached" : " installed") + ": "
        + config.targets().size() + " field(s) of " + targetsByClass.size() + " class(es) from "
        + config.source() + (config.strict() ? " (strict)" : "") + " in "
        + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
  }

  /**
   * The classes to transform that loaded before the transformer was added, retransformed one by one so that
   * one failure names its class and spares the others.
   */
  private static void retransformLoaded(Instrumentation instrumentation, RowsealTransformer transformer,
      TargetTracker tracker) {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (!transformer.transforms(loaded.getName()) || loaded.getClassLoader() instanceof JarSectionClassLoader
          || !instrumentation.isModifiableClass(loaded)) {
        continue;
      }
      try {
        instrumentation.retransformClasses(loaded);
      } catch (Throwable failure) {
        tracker.failed(loaded.getName());
        AgentLog.error("RS-6101 cannot retransform " + loaded.getName() + " (loaded by "
            + loaded.getClassLoader() + "); its configured fields stay unannotated and any SessionFactory "
            + "mapping them will refuse to start (RS-6205)", failure);
      }
    }
  }

  /**
   * Attaching to a JVM whose Hibernate already built a session factory cannot work: its mapping is
   * fixed, and rows may already have been written in plaintext.
   */
  private static void refuseIfHibernateStarted(Instrumentation instrumentation) {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (loaded.getName().equals(HibernateHooks.SESSION_FACTORY)) {
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
}
