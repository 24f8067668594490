package io.rowseal.hibernate;

import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

/**
 * The Java side of a blind-index attribute. All its values are equal, so dirty checking never sees the
 * index change by itself: the searchable attribute's own change causes the row write, which writes every
 * column (a searchable attribute's entity may not be {@code @DynamicUpdate}) and so a fresh tag. Immutable;
 * the second-level cache stores a marker, never a source value (which is plaintext).
 */
final class IndexJavaType extends AbstractClassJavaType<IndexValue> {
  private static final long serialVersionUID = 1L;
  private static final String CACHE_MARKER = "rowseal:blind-index";

  private final transient IndexJdbcType jdbcType;

  IndexJavaType(IndexJdbcType jdbcType) {
    super(IndexValue.class, new MarkerPlan<>(CACHE_MARKER, IndexValue.Stored.CACHED));
    this.jdbcType = jdbcType;
  }

  @Override
  public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
    return jdbcType;
  }

  @Override
  public boolean areEqual(IndexValue one, IndexValue another) {
    return true;
  }

  @Override
  public int extractHashCode(IndexValue value) {
    return 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> X unwrap(IndexValue value, Class<X> type, WrapperOptions options) {
    if (value == null || type.isInstance(value)) {
      return (X) value;
    }
    throw new IllegalArgumentException("a blind index cannot be unwrapped as " + type.getName());
  }

  @Override
  public <X> IndexValue wrap(X value, WrapperOptions options) {
    if (value == null || value instanceof IndexValue) {
      return (IndexValue) value;
    }
    if (value instanceof byte[] bytes) {
      return new IndexValue.Stored(bytes);
    }
    throw new IllegalArgumentException("a blind index cannot be made from a " + value.getClass().getName());
  }

  @Override
  public String extractLoggableRepresentation(IndexValue value) {
    return "(blind index)";
  }

  @Override
  public String toString() {
    return "IndexJavaType(" + jdbcType + ")";
  }
}
