package io.rowseal.demo;

/** The demo cannot start or was stopped by a failure; the message is the line the user sees. */
final class DemoLaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DemoLaunchException(String message) {
    super(message);
  }

  DemoLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
