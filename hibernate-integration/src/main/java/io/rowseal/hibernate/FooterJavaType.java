package io.rowseal.hibernate;

import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

/**
 * The Java side of the footer attribute. All its values are equal, so dirty checking never sees the
 * footer change (the row write that changes it is caused by another attribute); it is immutable, so
 * the loaded state keeps the very {@link StoredFooter} that was read; and it never enters a cache:
 * the second-level cache stores a marker that assembles to {@link StoredFooter#CACHED}.
 */
final class FooterJavaType extends AbstractClassJavaType<StoredFooter> {
  private static final long serialVersionUID = 1L;
  private static final String CACHE_MARKER = "rowseal:footer";

  private final transient FooterJdbcType jdbcType;

  FooterJavaType(FooterJdbcType jdbcType) {
    super(StoredFooter.class, new MarkerPlan<>(CACHE_MARKER, StoredFooter.CACHED));
    this.jdbcType = jdbcType;
  }

  @Override
  public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
    return jdbcType;
  }

  @Override
  public boolean areEqual(StoredFooter one, StoredFooter another) {
    return true;
  }

  @Override
  public int extractHashCode(StoredFooter value) {
    return 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> X unwrap(StoredFooter value, Class<X> type, WrapperOptions options) {
    if (value == null) {
      return null;
    }
    if (type.isInstance(value)) {
      return (X) value;
    }
    if (type == byte[].class) {
      return (X) value.bytes();
    }
    throw new IllegalArgumentException("a row signature cannot be unwrapped as " + type.getName());
  }

  @Override
  public <X> StoredFooter wrap(X value, WrapperOptions options) {
    if (value == null || value instanceof StoredFooter) {
      return (StoredFooter) value;
    }
    if (value instanceof byte[] bytes) {
      return StoredFooter.read(bytes);
    }
    throw new IllegalArgumentException("a row signature cannot be made from a " + value.getClass().getName());
  }

  @Override
  public String extractLoggableRepresentation(StoredFooter value) {
    return "(row signature)";
  }

  @Override
  public String toString() {
    return "FooterJavaType(" + jdbcType + ")";
  }
}
