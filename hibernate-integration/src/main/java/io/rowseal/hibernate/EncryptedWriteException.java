package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * A value of an {@code @Encrypted} attribute could not be encrypted, so nothing of the row was written
 * (or its row could not be signed), so nothing of the row was written and the transaction must roll
 * back. Codes {@code RS-41xx}. The message names the attribute and the branch-key id, or the entity and
 * row, never the value.
 */
public class EncryptedWriteException extends RowsealException {
  private static final long serialVersionUID = 1L;
  private final String entity;
  private final String attribute;
  private final String branchKeyId;

  EncryptedWriteException(String code, EncryptedAttribute attribute, String problem, Throwable cause) {
    super(code, "cannot write " + attribute.qualifiedName() + " (column " + attribute.table() + "."
        + attribute.column() + ", branch key '" + attribute.branchKeyId() + "'): " + problem, cause);
    this.entity = attribute.entityName();
    this.attribute = attribute.qualifiedName();
    this.branchKeyId = attribute.branchKeyId();
  }

  /** A failure of the row as a whole (its signature), not of one attribute. */
  EncryptedWriteException(String code, String entity, String problem, Throwable cause) {
    super(code, "cannot write a row of " + entity + ": " + problem, cause);
    this.entity = entity;
    this.attribute = null;
    this.branchKeyId = null;
  }

  /** The JPA entity name. */
  public String entity() {
    return entity;
  }

  /** {@code Entity.attribute}, or {@code null} for a failure of the row as a whole. */
  public String attribute() {
    return attribute;
  }

  public String branchKeyId() {
    return branchKeyId;
  }
}
