package io.rowseal.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point: {@code java -javaagent:rowseal-agent.jar=config=rowseal.properties -jar app.jar}.
 *
 * <p>Does as little as possible, in the system class loader that the JVM loads it with: it appends the
 * agent jar to the bootstrap class path (which makes {@code io.rowseal.Encrypted} and the tiny
 * {@code io.rowseal.agent.bootstrap} package visible to every class loader), opens the agent's own
 * isolated class loader over the jar's hidden {@code rowseal-agent/agent/} section and hands over to
 * {@code io.rowseal.agent.internal.AgentInstaller} there. Classes of the bootstrap package are reached
 * by reflection only, so that the verifier never loads a second copy of them through this class's
 * loader.
 *
 * <p>Fails closed: when {@code premain} cannot install the agent (bad arguments, malformed
 * configuration, ...) it prints why and ends the JVM with status 1 before the application starts.
 * {@code agentmain} never ends the JVM it was attached to; it throws, and the attaching tool reports it.
 */
public final class RowsealAgent {

  private static final String LOADER = "io.rowseal.agent.bootstrap.JarSectionClassLoader";
  private static final String INSTALLER = "io.rowseal.agent.internal.AgentInstaller";
  private static final String AGENT_EXCEPTION = "io.rowseal.agent.bootstrap.AgentException";

  private RowsealAgent() {}

  /** Called by the JVM before {@code main} for {@code -javaagent}. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    long startNanos = System.nanoTime();
    try {
      start(arguments, instrumentation, false, startNanos);
    } catch (Throwable failure) {
      report(failure);
      System.err.println("[rowseal-agent] ERROR the application is not started: rowseal could not be installed.");
      System.exit(1);
    }
  }

  /** Called when the agent is attached to a running JVM; see docs/AGENT.md, "Attaching". */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    long startNanos = System.nanoTime();
    try {
      start(arguments, instrumentation, true, startNanos);
    } catch (Throwable failure) {
      report(failure);
      throw failure instanceof RuntimeException ? (RuntimeException) failure
          : new IllegalStateException("rowseal-agent could not be attached: " + failure, failure);
    }
  }

  private static void start(String arguments, Instrumentation instrumentation, boolean attached, long startNanos)
      throws Throwable {
    File jar = agentJar();
    JarFile jarFile = new JarFile(jar);
    instrumentation.appendToBootstrapClassLoaderSearch(jarFile);
    try {
      Class<?> loaderType = Class.forName(LOADER, true, null);
      ClassLoader agentLoader = (ClassLoader) loaderType
          .getMethod("forAgent", JarFile.class, File.class)
          .invoke(null, jarFile, jar);
      Class.forName(INSTALLER, true, agentLoader)
          .getMethod("install", Instrumentation.class, String.class, boolean.class, JarFile.class, File.class,
              long.class)
          .invoke(null, instrumentation, arguments, attached, jarFile, jar, startNanos);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static File agentJar() {
    CodeSource source = RowsealAgent.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IllegalStateException("RS-6006 cannot locate the rowseal agent jar: "
          + RowsealAgent.class.getName() + " has no code source");
    }
    try {
      File jar = new File(source.getLocation().toURI());
      if (!jar.isFile()) {
        throw new IllegalStateException("RS-6006 the rowseal agent must be started from its jar, not from "
            + jar + " (build it with 'mvn package')");
      }
      return jar;
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException("RS-6006 cannot locate the rowseal agent jar at " + source.getLocation(), e);
    }
  }

  private static void report(Throwable failure) {
    if (AGENT_EXCEPTION.equals(failure.getClass().getName())) {
      // an expected, explained failure: its message says what and where
      System.err.println("[rowseal-agent] ERROR " + failure.getMessage());
    } else {
      System.err.println("[rowseal-agent] ERROR RS-6006 unexpected failure while installing the agent:");
      failure.printStackTrace();
    }
  }
}
