package io.rowseal.demo.app;

/**
 * Turns an exception chain into the one line a user needs. rowseal's messages start with a stable code
 * ({@code RS-nnnn}, see {@code docs/ERRORS.md}) and never hold plaintext, ciphertext or key bytes, so the
 * first such message in the chain is shown as is; otherwise the deepest message. Found by message rather
 * than by type, because in agent mode rowseal's exception classes are the agent's, invisible to the
 * application.
 */
final class Failures {
  private Failures() {}

  /** The rowseal message in {@code t}'s cause chain, or {@code null}. */
  static String rowsealMessage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().matches("(?s)RS-\\d{4}: .*")) {
        return oneLine(c.getMessage());
      }
    }
    return null;
  }

  /** The line to print for an unexpected failure. */
  static String summary(Throwable t) {
    if (t instanceof DemoException) {
      return oneLine(t.getMessage());
    }
    String rowseal = rowsealMessage(t);
    if (rowseal != null) {
      return rowseal;
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    return oneLine(message) + " (" + root.getClass().getSimpleName() + ")";
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
