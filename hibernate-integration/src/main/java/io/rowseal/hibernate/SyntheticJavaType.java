package io.rowseal.hibernate;

import java.util.function.Function;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

/**
 * The Java side of a column rowseal adds to a row (the row footer, a blind index). All its values are
 * equal, so dirty checking never sees it change by itself: the change of another attribute causes the
 * row write that rewrites it. It is immutable, so the loaded state keeps the very value that was read,
 * and it never enters a cache: the second-level cache stores a marker that assembles to
 * {@code cached}.
 *
 * @param <T> the value held in the entity state
 */
abstract class SyntheticJavaType<T> extends AbstractClassJavaType<T> {
  private static final long serialVersionUID = 1L;

  private final transient JdbcType jdbcType;
  private final String what;
  private final transient Function<byte[], T> read;
  private final transient Function<T, byte[]> bytes;

  /**
   * @param what what the column holds, for messages and logs ({@code "row signature"})
   * @param read a stored value from the column's bytes
   * @param bytes the bytes of a value, or null when values unwrap only as themselves
   */
  SyntheticJavaType(Class<T> type, String cacheMarker, T cached, JdbcType jdbcType, String what,
      Function<byte[], T> read, Function<T, byte[]> bytes) {
    super(type, new MarkerPlan<>(cacheMarker, cached));
    this.jdbcType = jdbcType;
    this.what = what;
    this.read = read;
    this.bytes = bytes;
  }

  @Override
  public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
    return jdbcType;
  }

  @Override
  public boolean areEqual(T one, T another) {
    return true;
  }

  @Override
  public int extractHashCode(T value) {
    return 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> X unwrap(T value, Class<X> type, WrapperOptions options) {
    if (value == null || type.isInstance(value)) {
      return (X) value;
    }
    if (type == byte[].class && bytes != null) {
      return (X) bytes.apply(value);
    }
    throw new IllegalArgumentException("a " + what + " cannot be unwrapped as " + type.getName());
  }

  @Override
  public <X> T wrap(X value, WrapperOptions options) {
    if (value == null || getJavaTypeClass().isInstance(value)) {
      return getJavaTypeClass().cast(value);
    }
    if (value instanceof byte[] b) {
      return read.apply(b);
    }
    throw new IllegalArgumentException("a " + what + " cannot be made from a " + value.getClass().getName());
  }

  @Override
  public String extractLoggableRepresentation(T value) {
    return "(" + what + ")";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + jdbcType + ")";
  }
}
