package io.rowseal;

/**
 * Base of rowseal's unchecked exceptions. Every message starts with a stable code ({@code RS-nnnn},
 * listed in {@code docs/ERRORS.md}) and names what was wrong (key id, entity, attribute) — never key
 * bytes, ciphertext or plaintext.
 */
public class RowsealException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public RowsealException(String code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public RowsealException(String code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  /** The stable error code, e.g. {@code RS-2001}. */
  public String code() {
    return code;
  }
}
