package io.rowseal.demo.app;

import java.lang.instrument.Instrumentation;

/** A Java agent that does nothing: stands in for a rowseal agent that annotated no field. */
public final class NoOpAgent {
  private NoOpAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    // Deliberately nothing.
  }
}
