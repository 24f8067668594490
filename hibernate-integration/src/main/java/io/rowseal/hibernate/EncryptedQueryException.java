package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * A query uses an {@code @Encrypted} attribute in a way randomized encryption cannot answer, such as
 * comparing it with a literal. Code {@code RS-4401}.
 */
public class EncryptedQueryException extends RowsealException {
  private static final long serialVersionUID = 1L;

  EncryptedQueryException(String code, String message) {
    super(code, message);
  }
}
