package io.rowseal.hibernate;

import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.property.access.spi.Getter;
import org.hibernate.property.access.spi.PropertyAccess;
import org.hibernate.property.access.spi.PropertyAccessStrategy;
import org.hibernate.property.access.spi.Setter;

/**
 * Property access of the synthetic footer attribute, which has no field in the entity: reading it
 * yields {@link StoredFooter#PENDING} (non-null, so {@code @DynamicInsert} keeps the column), writing it
 * is ignored. Like Hibernate's {@code noop} access, but with a value.
 */
@SuppressWarnings("removal") // Hibernate 7.4 deprecates Setter without a replacement yet
final class FooterAccess implements PropertyAccessStrategy, PropertyAccess, Getter, Setter {
  private static final long serialVersionUID = 1L;
  static final FooterAccess INSTANCE = new FooterAccess();

  private FooterAccess() {}

  @Override
  public PropertyAccess buildPropertyAccess(Class<?> containerJavaType, String propertyName,
      boolean setterRequired) {
    return this;
  }

  @Override
  public PropertyAccessStrategy getPropertyAccessStrategy() {
    return this;
  }

  @Override
  public Getter getGetter() {
    return this;
  }

  @Override
  public Setter getSetter() {
    return this;
  }

  @Override
  public Object get(Object owner) {
    return StoredFooter.PENDING;
  }

  @Override
  @SuppressWarnings("rawtypes") // raw, as Hibernate 6.6 and 7.0 declare it (same erasure as 7.1+)
  public Object getForInsert(Object owner, Map mergeMap,
      SharedSessionContractImplementor session) {
    return StoredFooter.PENDING;
  }

  @Override
  public void set(Object target, Object value) {
    // The entity has no field: the footer as read stays in the entry's loaded state.
  }

  @Override
  public Class<?> getReturnTypeClass() {
    return StoredFooter.class;
  }

  @Override
  public Type getReturnType() {
    return StoredFooter.class;
  }

  @Override
  public Member getMember() {
    return null;
  }

  @Override
  public String getMethodName() {
    return null;
  }

  @Override
  public Method getMethod() {
    return null;
  }

  @Override
  public String toString() {
    return "FooterAccess";
  }
}
