package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import java.io.Serializable;
import io.rowseal.envelope.DekId;

/**
 * What Hibernate carries in an entity's state for the synthetic footer attribute. The entity itself
 * has no field for it: writes bind the footer of the current row write ({@link FooterJdbcType}), reads
 * keep the footer as read in the entry's loaded state, where {@link RowVerifier} finds it.
 *
 * <p>Identity matters: every read makes a new instance, so the verifier can tell a footer read from
 * the database in this load from one that came back from a cache.
 */
final class StoredFooter implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The value of the footer attribute in an entity's own state: the row write supplies the footer. */
  static final StoredFooter PENDING = new StoredFooter(null, false, null);
  /** State assembled from the second-level cache: verified when it was first read, or written here. */
  static final StoredFooter CACHED = new StoredFooter(null, false, null);

  private final byte[] bytes;
  private final boolean read;
  private final transient DekId dekId;

  private StoredFooter(byte[] bytes, boolean read, DekId dekId) {
    this.bytes = bytes;
    this.read = read;
    this.dekId = dekId;
  }

  /** A footer as read from its column; {@code bytes} is {@code null} for a row without a footer. */
  static StoredFooter read(byte[] bytes) {
    DekId id = null;
    if (bytes != null) {
      try {
        id = DekId.ofFooter(bytes);
      } catch (IntegrityException e) {
        // Malformed: the verifier refuses it, whether or not it came from this load.
      }
    }
    return new StoredFooter(bytes, true, id);
  }

  /** The row's DEK reference, or {@code null} for no footer or a malformed one. */
  DekId dekId() {
    return dekId;
  }

  /** The stored bytes, or {@code null} for SQL NULL. */
  byte[] bytes() {
    return bytes;
  }

  /** Whether this came from a column read rather than from the entity or a cache. */
  boolean isRead() {
    return read;
  }

  /** A deserialized footer comes from a cache (or a serialized session): it was verified when read. */
  private Object readResolve() {
    return CACHED;
  }

  @Override
  public String toString() {
    return this == PENDING ? "StoredFooter(pending)" : this == CACHED ? "StoredFooter(cached)"
        : "StoredFooter(" + (bytes == null ? "NULL" : bytes.length + " bytes") + ")";
  }
}
