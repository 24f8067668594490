package io.rowseal.hibernate;

/**
 * The Java side of a blind-index attribute ({@link SyntheticJavaType}): the searchable attribute's own
 * change causes the row write, which writes every column (a searchable attribute's entity may not be
 * {@code @DynamicUpdate}) and so a fresh tag. The second-level cache stores a marker, never a source
 * value (which is plaintext).
 */
final class IndexJavaType extends SyntheticJavaType<IndexValue> {
  private static final long serialVersionUID = 1L;

  IndexJavaType(IndexJdbcType jdbcType) {
    super(IndexValue.class, "rowseal:blind-index", IndexValue.Stored.CACHED, jdbcType, "blind index",
        IndexValue.Stored::new, null);
  }
}
