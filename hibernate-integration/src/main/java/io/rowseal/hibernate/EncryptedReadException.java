package io.rowseal.hibernate;

import io.rowseal.RowsealException;

/**
 * A stored value of an {@code @Encrypted} attribute cannot be read back: it does not verify (altered,
 * moved, written under a key the store does not know), its key was destroyed, or it decrypts to a
 * value of another type; or a row's signature does not verify or is missing. Codes {@code RS-42xx};
 * the cause is the engine's {@link io.rowseal.IntegrityException} where there is one. The message names
 * the attribute or entity and, when it could be found, the row's id; never the value.
 */
public class EncryptedReadException extends RowsealException {
  private static final long serialVersionUID = 1L;
  private final String entity;
  private final String attribute;
  private final String rowId;

  EncryptedReadException(String code, EncryptedAttribute attribute, String rowId, String problem,
      Throwable cause) {
    super(code, "cannot read " + attribute.qualifiedName()
        + (rowId == null ? "" : " of " + attribute.entityName() + " id " + rowId) + ": " + problem, cause);
    this.entity = attribute.entityName();
    this.attribute = attribute.qualifiedName();
    this.rowId = rowId;
  }

  /** A row that cannot be read as a whole: its signature does not verify, or it has none. */
  EncryptedReadException(String code, String entity, String rowId, String problem, Throwable cause) {
    super(code, "cannot read " + entity + " id " + rowId + ": " + problem, cause);
    this.entity = entity;
    this.attribute = null;
    this.rowId = rowId;
  }

  /** The JPA entity name. */
  public String entity() {
    return entity;
  }

  /** {@code Entity.attribute}, or {@code null} when the row as a whole failed. */
  public String attribute() {
    return attribute;
  }

  /** The id of the row holding the value, or {@code null} where it could not be found. */
  public String rowId() {
    return rowId;
  }
}
