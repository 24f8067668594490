package io.rowseal.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures standard error, where slf4j-simple logs: the tests that assert a WARN read it from here. */
public final class Stderr {
  private Stderr() {}

  /** What {@code work} writes to standard error, restoring it afterwards. */
  public static String of(Runnable work) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
