package io.rowseal.hibernate;

/**
 * The Java side of the footer attribute ({@link SyntheticJavaType}): the loaded state keeps the very
 * {@link StoredFooter} that was read, and the second-level cache stores a marker that assembles to
 * {@link StoredFooter#CACHED}.
 */
final class FooterJavaType extends SyntheticJavaType<StoredFooter> {
  private static final long serialVersionUID = 1L;

  FooterJavaType(FooterJdbcType jdbcType) {
    super(StoredFooter.class, "rowseal:footer", StoredFooter.CACHED, jdbcType, "row signature",
        StoredFooter::read, StoredFooter::bytes);
  }
}
