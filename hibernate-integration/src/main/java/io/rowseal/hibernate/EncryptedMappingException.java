package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * An {@code @Encrypted} mapping, a {@code rowseal.*} setting or an encrypted column cannot work; thrown
 * while Hibernate boots, so the application does not start. Codes {@code RS-40xx} (mapping and
 * settings) and {@code RS-43xx} (columns in the database).
 */
public class EncryptedMappingException extends RowsealException {
  private static final long serialVersionUID = 1L;

  public EncryptedMappingException(String code, String message) {
    super(code, message);
  }

  public EncryptedMappingException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
