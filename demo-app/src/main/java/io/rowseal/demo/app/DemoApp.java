package io.rowseal.demo.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs one command of the demo inside the application class loader (see {@code io.rowseal.demo.Main}).
 * Each command opens the database and keys, runs its steps in order, and closes everything; a failure
 * ends it with one line and status 1.
 */
public final class DemoApp {
  private DemoApp() {}

  /**
   * @param command a command name ({@code run-all}, {@code show}, {@code rotate}, {@code cost},
   *     {@code tamper}); Main has checked it
   * @param agent whether the JVM runs the rowseal agent
   * @param stacktrace whether a failure also prints its stack trace
   * @return the exit status: 0, or 1 after a failure
   */
  public static int run(String command, boolean agent, boolean stacktrace, PrintStream out, PrintStream err) {
    long start = System.nanoTime();
    Console console = new Console(out);
    console.title("rowseal demo, " + (agent ? "agent mode: un-annotated entities, encrypted by the agent"
        : "library mode: @Encrypted entities"));
    try {
      if (command.equals("migrate")) {
        // works on a database of its own, not the demo's customers
        requireLibraryMode(agent);
        MigrateLegacyTable.run(console);
      } else {
        try (DemoContext ctx = DemoContext.open(console, agent)) {
          // 1. Every command starts from the database: created and filled on a first run, reopened after.
          OpenCustomers.run(ctx);
          // 2. Then the command's own steps.
          for (Consumer<DemoContext> step : steps(command)) {
            step.accept(ctx);
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      err.println("rowseal-demo: " + Failures.summary(e));
      if (stacktrace) {
        e.printStackTrace(err);
      }
      return 1;
    }
    console.blank();
    console.line("done in %.1f s.%s", (System.nanoTime() - start) / 1e9,
        command.equals("run-all") ? " Run it again: the next run reopens these rows and keys." : "");
    return 0;
  }

  private static List<Consumer<DemoContext>> steps(String command) {
    return switch (command) {
      case "run-all" -> List.of(ShowKeyHierarchy::run, ShowRows::run, RotateBranchKey::run, KmsCost::run,
          TamperValues::run);
      case "show" -> List.of(ShowKeyHierarchy::run, ShowRows::run);
      case "rotate" -> List.of(DemoApp::requireKeyControl, RotateBranchKey::run, ShowKeyHierarchy::run);
      case "cost" -> List.of(DemoApp::requireKeyControl, ShowRows::run, KmsCost::run);
      case "tamper" -> List.of(TamperValues::run);
      default -> throw new DemoException("unknown command '" + command.toLowerCase(Locale.ROOT) + "'");
    };
  }

  /** {@code migrate} writes the legacy application's plaintext first, which the agent would encrypt. */
  private static void requireLibraryMode(boolean agent) {
    if (agent) {
      throw new DemoException("migrate needs library mode: with the agent, the legacy application's "
          + "plaintext writes would be encrypted too (run it without -javaagent)");
    }
  }

  /** Commands that act on the engine need library mode. */
  private static void requireKeyControl(DemoContext ctx) {
    if (ctx.keys().isEmpty()) {
      throw new DemoException("this command needs library mode: with the agent, the envelope and the KMS "
          + "belong to the agent (run it without -javaagent)");
    }
  }
}
