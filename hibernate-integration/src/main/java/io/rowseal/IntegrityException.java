package io.rowseal;

import java.security.GeneralSecurityException;

/**
 * The one exception for every authentication failure: a stored value, a wrapped key or a token that
 * does not verify. It deliberately does not say which check failed; its message names only where the
 * failure was seen (key id, attribute, row), never key bytes, ciphertext or plaintext.
 */
public class IntegrityException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
