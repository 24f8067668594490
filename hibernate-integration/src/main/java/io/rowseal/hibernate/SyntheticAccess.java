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
 * Property access of a synthetic attribute rowseal adds to an entity (the row footer, a blind index): it has
 * no field, so reading it yields {@link #get} (never {@code null}, so {@code @DynamicInsert} keeps the
 * column) and writing it is ignored: the value as read stays in the entity entry's loaded state. Like
 * Hibernate's {@code noop} access, but with a value.
 */
@SuppressWarnings("removal") // Hibernate 7.4 deprecates Setter without a replacement yet
abstract class SyntheticAccess implements PropertyAccessStrategy, PropertyAccess, Getter, Setter {
  private static final long serialVersionUID = 1L;
  private final Class<?> type;

  SyntheticAccess(Class<?> type) {
    this.type = type;
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
  @SuppressWarnings("rawtypes") // raw, as Hibernate 6.6 and 7.0 declare it (same erasure as 7.1+)
  public Object getForInsert(Object owner, Map mergeMap, SharedSessionContractImplementor session) {
    return get(owner);
  }

  @Override
  public void set(Object target, Object value) {
    // No field in the entity.
  }

  @Override
  public Class<?> getReturnTypeClass() {
    return type;
  }

  @Override
  public Type getReturnType() {
    return type;
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
    return getClass().getSimpleName();
  }
}
