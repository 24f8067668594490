package io.rowseal.kms;

import io.rowseal.RowsealException;

/** A CMK operation failed for a reason other than integrity; subclasses say which. */
public class KmsException extends RowsealException {
  private static final long serialVersionUID = 1L;

  public KmsException(String code, String message) {
    super(code, message);
  }

  public KmsException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  /** {@code RS-2001}: no CMK with that id. */
  public static final class KeyNotFound extends KmsException {
    private static final long serialVersionUID = 1L;

    public KeyNotFound(String cmkId) {
      super("RS-2001", "CMK '" + cmkId + "' does not exist");
    }

    /** Names the operation that found the key missing, e.g. {@code AWS KMS Decrypt}. */
    public KeyNotFound(String cmkId, String operation) {
      super("RS-2001", "CMK '" + cmkId + "' does not exist (" + operation + ")");
    }
  }

  /** {@code RS-2002}: the CMK exists but its state refuses the operation. */
  public static final class InvalidKeyState extends KmsException {
    private static final long serialVersionUID = 1L;
    private final KeyState state;

    public InvalidKeyState(String cmkId, KeyState state, String operation) {
      super("RS-2002", "CMK '" + cmkId + "' is " + state + ": " + operation + " refused"
          + (state == KeyState.DESTROYED ? " (its key material was destroyed; data under it is unreadable)" : ""));
      this.state = state;
    }

    public KeyState state() {
      return state;
    }
  }

  /** {@code RS-2003}: the request quota is exhausted; retry after a backoff. */
  public static final class Throttled extends KmsException {
    private static final long serialVersionUID = 1L;

    public Throttled(String message) {
      super("RS-2003", message);
    }
  }

  /** {@code RS-2004}: the KMS could not be reached or failed internally. */
  public static final class Unavailable extends KmsException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
      super("RS-2004", message, cause);
    }
  }
}
