package io.rowseal.hibernate;

import io.rowseal.envelope.RowCanonical;
import io.rowseal.envelope.RowEncryptor;

/**
 * One signed row write, prepared before Hibernate binds anything: every encrypted value of the row is
 * encrypted up front from the entity state under the row's one {@link RowEncryptor}, and the footer is
 * computed over the results. The binders then only hand out what is here, so the order in which
 * Hibernate binds columns does not matter. When the database makes the id on insert (IDENTITY), the
 * footer is computed after the insert ({@link #sign}) and written by a second statement.
 *
 * <p>Holds the row's DEK until the footer is made, then destroys it. Used by one thread.
 */
final class RowPlan implements AutoCloseable {
  private final SignedEntity entity;
  private final Object[] state;
  /** Per item of {@link SignedEntity#sealed}, by position: its plaintext encoding and stored bytes. */
  private final byte[][] plaintexts;
  private final byte[][] sealed;
  private RowEncryptor row;
  private byte[] footer;
  private String tenant;

  private RowPlan(SignedEntity entity, Object[] state) {
    this.entity = entity;
    this.state = state;
    this.plaintexts = new byte[entity.sealed.size()][];
    this.sealed = new byte[entity.sealed.size()][];
  }

  /**
   * Encrypts the row's values and, if {@code id} is known, signs the row.
   *
   * @throws EncryptedWriteException if a value has no byte form, is too long, or cannot be encrypted
   */
  static RowPlan prepare(SignedEntity entity, RowWrites writes, Object session, Object id, Object[] state) {
    RowPlan plan = new RowPlan(entity, state);
    plan.tenant = TenantKeys.tenantOf(session);
    for (int i = 0; i < entity.sealed.size(); i++) {
      SignedEntity.Sealed s = entity.sealed.get(i);
      Object value = s.path().get(state);
      if (value != null) {
        byte[] plaintext = s.converter().toRelationalValue(value);
        EncryptedAttribute a = s.attribute();
        if (plaintext.length > a.capacity()) {
          throw new EncryptedWriteException("RS-4103", a, "the value needs " + plaintext.length
              + " bytes but the column is sized for " + a.capacity() + " (raise @Column(length/precision))",
              null);
        }
        plan.plaintexts[i] = plaintext;
      }
    }
    EncryptedAttribute current = entity.sealed.isEmpty() ? null : entity.sealed.get(0).attribute();
    try {
      plan.row = writes.beginRow(session);
      for (int i = 0; i < entity.sealed.size(); i++) {
        byte[] plaintext = plan.plaintexts[i];
        if (plaintext != null) {
          current = entity.sealed.get(i).attribute();
          plan.sealed[i] = plan.row.encrypt(plaintext, current.context());
        }
      }
    } catch (EncryptedWriteException e) {
      plan.close();
      throw e;
    } catch (RuntimeException e) {
      plan.close();
      throw current == null
          ? new EncryptedWriteException("RS-4101", entity.name, "the row's data key could not be made: "
              + e.getMessage(), e)
          : new EncryptedWriteException("RS-4101", current, "encryption failed: " + e.getMessage(), e);
    }
    if (id != null) {
      plan.sign(id);
    }
    return plan;
  }

  SignedEntity entity() {
    return entity;
  }

  /**
   * The stored form of {@code attribute}'s value in this row, or {@code null} if the attribute is not
   * part of it.
   *
   * @throws IllegalStateException if Hibernate binds another value than the entity state held
   */
  byte[] stored(EncryptedAttribute attribute, byte[] plaintext) {
    int i = entity.indexOf(attribute);
    if (i < 0 || sealed[i] == null) {
      return null;
    }
    // Not constant-time: both are the application's own plaintext, no secret is compared against a guess.
    if (!java.util.Arrays.equals(plaintexts[i], plaintext)) {
      throw new IllegalStateException("the value bound for " + attribute + " is not the one its row "
          + "signature covers (was the entity state changed after the pre-insert/pre-update event?)");
    }
    return sealed[i];
  }

  /** The footer, or {@code null} while the id is not known yet. */
  byte[] footer() {
    return footer;
  }

  /** Signs the row now that its id is known, and destroys its DEK. */
  byte[] sign(Object id) {
    try (RowCanonical.Scratch canonical = entity.canonicalReused(id, state,
        (item, value) -> sealed[entity.indexOf(item.attribute())], true, tenant)) {
      footer = row.signBound(canonical.bytes(), canonical.length());
      return footer;
    } catch (RuntimeException e) {
      throw new EncryptedWriteException("RS-4101", entity.name, "signing the row " + id + " failed: "
          + e.getMessage(), e);
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    if (row != null) {
      row.close();
      row = null;
    }
  }
}
