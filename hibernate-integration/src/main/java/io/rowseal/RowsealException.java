package io.rowseal;

import org.hibernate.HibernateException;

/**
 * Base of rowseal's unchecked exceptions. Every message starts with a stable code ({@code RS-nnnn},
 * listed in {@code docs/ERRORS.md}) and names what was wrong (key id, entity, attribute) — never key
 * bytes, ciphertext or plaintext.
 *
 * <p>It is a {@link HibernateException}, hence a {@code jakarta.persistence.PersistenceException}: thrown
 * inside a Hibernate operation, it passes Hibernate's exception conversion unchanged (the transaction is
 * marked for rollback) and frameworks that translate persistence exceptions (Spring's
 * {@code HibernateJpaDialect}) turn it into their own hierarchy, with this exception as the cause. This is
 * the one Hibernate type outside {@code io.rowseal.hibernate}: the engine packages import none, but need
 * {@code hibernate-core} on the class path, as every application of rowseal has (docs/ERRORS.md).
 */
public class RowsealException extends HibernateException {
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
