package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * A value of an {@code @Encrypted} attribute could not be encrypted, so nothing of the row was written
 * and the transaction must roll back. Codes {@code RS-41xx}. The message names the attribute and the
 * branch-key id, never the value.
 */
public class EncryptedWriteException extends RowsealException {
  private static final long serialVersionUID = 1L;
  private final String attribute;
  private final String branchKeyId;

  EncryptedWriteException(String code, EncryptedAttribute attribute, String problem, Throwable cause) {
    super(code, "cannot write " + attribute.qualifiedName() + " (column " + attribute.table() + "."
        + attribute.column() + ", branch key '" + attribute.branchKeyId() + "'): " + problem, cause);
    this.attribute = attribute.qualifiedName();
    this.branchKeyId = attribute.branchKeyId();
  }

  /** {@code Entity.attribute}. */
  public String attribute() {
    return attribute;
  }

  public String branchKeyId() {
    return branchKeyId;
  }
}
