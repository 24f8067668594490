package io.rowseal.hibernate;

import java.io.Serializable;
import org.hibernate.SharedSessionContract;
import org.hibernate.type.descriptor.java.MutabilityPlan;

/**
 * Mutability plan of a synthetic attribute's values (row footer, blind index): immutable, so the loaded
 * state keeps the very value that was read; and never cached: the second-level cache stores
 * {@code marker}, which assembles to {@code cached}.
 */
final class MarkerPlan<T> implements MutabilityPlan<T> {
  private static final long serialVersionUID = 1L;
  private final String marker;
  private final transient T cached;

  MarkerPlan(String marker, T cached) {
    this.marker = marker;
    this.cached = cached;
  }

  @Override
  public boolean isMutable() {
    return false;
  }

  @Override
  public T deepCopy(T value) {
    return value;
  }

  @Override
  public Serializable disassemble(T value, SharedSessionContract session) {
    return marker;
  }

  @Override
  public T assemble(Serializable cached, SharedSessionContract session) {
    return this.cached;
  }
}
