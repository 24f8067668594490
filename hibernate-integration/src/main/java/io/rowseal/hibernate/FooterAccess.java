package io.rowseal.hibernate;

/**
 * Property access of the synthetic footer attribute: reading it yields {@link StoredFooter#PENDING}
 * (the binder writes the row write's footer in its place), writing it is ignored.
 */
final class FooterAccess extends SyntheticAccess {
  private static final long serialVersionUID = 1L;
  static final FooterAccess INSTANCE = new FooterAccess();

  private FooterAccess() {
    super(StoredFooter.class);
  }

  @Override
  public Object get(Object owner) {
    return StoredFooter.PENDING;
  }
}
