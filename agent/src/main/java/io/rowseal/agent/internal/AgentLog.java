package io.rowseal.agent.internal;

import java.io.PrintStream;

/**
 * The agent's log: standard error, one line per event, prefixed {@code [rowseal-agent]}. The agent starts
 * before the application's logging is configured and must not load the application's logging classes,
 * so it writes to the stream directly, as the OpenTelemetry agent does.
 */
final class AgentLog {

  private static final String PREFIX = "[rowseal-agent] ";

  private AgentLog() {}

  static void info(String message) {
    err().println(PREFIX + "INFO " + message);
  }

  static void warn(String message) {
    err().println(PREFIX + "WARN " + message);
  }

  static void error(String message, Throwable cause) {
    PrintStream err = err();
    synchronized (err) {
      err.println(PREFIX + "ERROR " + message);
      if (cause != null) {
        cause.printStackTrace(err);
      }
    }
  }

  private static PrintStream err() {
    return System.err;
  }
}
