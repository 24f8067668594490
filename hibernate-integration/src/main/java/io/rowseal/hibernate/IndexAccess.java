package io.rowseal.hibernate;

import org.hibernate.property.access.spi.Getter;

/**
 * Property access of a synthetic blind-index attribute: reading it yields the searchable attribute's
 * current value as an {@link IndexValue.Source} (hashed by {@link IndexJdbcType} when the row is
 * written), writing it is ignored.
 */
final class IndexAccess extends SyntheticAccess {
  private static final long serialVersionUID = 1L;
  private final transient Getter attribute;

  IndexAccess(Getter attribute) {
    super(IndexValue.class);
    this.attribute = attribute;
  }

  @Override
  public Object get(Object owner) {
    return new IndexValue.Source(attribute.get(owner));
  }
}
