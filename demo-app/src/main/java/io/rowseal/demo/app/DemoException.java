package io.rowseal.demo.app;

/** A failure the demo explains in one line: the message is what the user sees after "rowseal-demo: ". */
final class DemoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DemoException(String message) {
    super(message);
  }

  DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
