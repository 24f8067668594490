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
 * Property access of a synthetic blind-index attribute, which has no field in the entity: reading it
 * yields the searchable attribute's current value as an {@link IndexValue.Source} (hashed by
 * {@link IndexJdbcType} when the row is written), writing it is ignored.
 */
@SuppressWarnings("removal") // Hibernate 7.4 deprecates Setter without a replacement yet
final class IndexAccess implements PropertyAccessStrategy, PropertyAccess, Getter, Setter {
  private static final long serialVersionUID = 1L;
  private final transient Getter attribute;

  IndexAccess(Getter attribute) {
    this.attribute = attribute;
  }

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
    return new IndexValue.Source(attribute.get(owner));
  }

  @Override
  @SuppressWarnings("rawtypes") // raw, as Hibernate 6.6 and 7.0 declare it (same erasure as 7.1+)
  public Object getForInsert(Object owner, Map mergeMap, SharedSessionContractImplementor session) {
    return get(owner);
  }

  @Override
  public void set(Object target, Object value) {
    // No field: the tag as read stays in the entry's loaded state.
  }

  @Override
  public Class<?> getReturnTypeClass() {
    return IndexValue.class;
  }

  @Override
  public Type getReturnType() {
    return IndexValue.class;
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
    return "IndexAccess";
  }
}
