package io.rowseal.hibernate;

/**
 * An enum mapped {@code @Enumerated(EnumType.ORDINAL)}: encrypted as its ordinal, the number Hibernate
 * would have stored, in the {@code Integer} encoding ({@link StandardCodec#INT}). Reordering the
 * constants changes what stored values mean, exactly as it does for a plaintext ordinal column.
 */
final class OrdinalCodec implements ValueCodec {
  private final Class<?> type;
  private final Object[] constants;

  OrdinalCodec(Class<?> type) {
    this.type = type;
    this.constants = type.getEnumConstants();
  }

  @Override
  public byte tag() {
    return StandardCodec.INT.tag();
  }

  @Override
  public Class<?> javaType() {
    return type;
  }

  @Override
  public byte[] encode(Object value) {
    return StandardCodec.INT.encode(((Enum<?>) value).ordinal());
  }

  @Override
  public Object decode(byte[] encoded) {
    int ordinal = (Integer) StandardCodec.INT.decode(encoded);
    if (ordinal < 0 || ordinal >= constants.length) {
      throw new IllegalArgumentException("stored ordinal is not one of " + type.getSimpleName() + "'s "
          + constants.length + " constants (removed?)");
    }
    return constants[ordinal];
  }

  @Override
  public int maxLength(long length, int precision) {
    return StandardCodec.INT.maxLength(length, precision);
  }

  @Override
  public String toString() {
    return "ORDINAL(" + type.getName() + ")";
  }
}
