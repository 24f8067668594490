package io.rowseal.demo;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * rowseal-demo's entry point: checks the command line, answers {@code --help}, and runs one command in
 * the application class loader of the mode in use.
 *
 * <p>Two modes, chosen by how the JVM was started:
 * <ul>
 *   <li><b>library</b> (plain {@code java -jar}): the entities of {@code io.rowseal.demo.annotated}
 *       carry {@code @Encrypted}; rowseal-hibernate is on the application's class path.</li>
 *   <li><b>agent</b> ({@code -javaagent:rowseal-agent.jar=config=...}): the entities of
 *       {@code io.rowseal.demo.plain} carry no rowseal annotation and the application's class path has
 *       no rowseal jar; the agent adds both.</li>
 * </ul>
 * Exit status 0 on success, 1 on failure (one line, {@code rowseal-demo: <message>}), 2 on a usage
 * error.
 */
public final class Main {
  static final String NAME = "rowseal-demo";
  private static final String APP_CLASS = "io.rowseal.demo.app.DemoApp";

  private Main() {}

  public static void main(String[] args) {
    // Exit explicitly: pool and KMS threads must not keep a finished demo alive.
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (Arguments.UsageException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }
    if (arguments.help()) {
      out.print(arguments.named() == null ? Help.program() : Help.command(arguments.named()));
      return 0;
    }
    Command command = arguments.command();
    try {
      if (command == Command.RESET) {
        ResetData.run(Path.of(ResetData.DATA_DIR), out);
        return 0;
      }
      return runInApplication(command, agentAttached(), arguments.stacktrace(), out, err);
    } catch (DemoLaunchException e) {
      err.println(NAME + ": " + e.getMessage());
      if (arguments.stacktrace()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  private static int runInApplication(Command command, boolean agent, boolean stacktrace, PrintStream out,
      PrintStream err) {
    // Hibernate logs through JBoss Logging; send it to SLF4J (simplelogger.properties: warnings only).
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
    ClassLoader loader = ApplicationClassPath.loader(agent);
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class<?> app = Class.forName(APP_CLASS, true, loader);
      Object status = app.getMethod("run", String.class, boolean.class, boolean.class, PrintStream.class,
          PrintStream.class).invoke(null, command.commandName(), agent, stacktrace, out, err);
      return (Integer) status;
    } catch (InvocationTargetException e) {
      throw new DemoLaunchException("the demo failed unexpectedly: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new DemoLaunchException("cannot start the demo application (" + e + "); rebuild it with "
          + "mvn -B -q -pl demo-app -am package -DskipTests", e);
    }
  }

  /** Whether the JVM runs the rowseal agent: then the demo runs in agent mode. */
  static boolean agentAttached() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-javaagent:"))
        .map(a -> a.substring("-javaagent:".length()).split("=", 2)[0])
        .anyMatch(jar -> Path.of(jar).getFileName().toString().startsWith("rowseal-agent"));
  }
}
