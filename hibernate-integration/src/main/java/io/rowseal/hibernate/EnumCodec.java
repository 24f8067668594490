package io.rowseal.hibernate;

import java.nio.charset.StandardCharsets;

/**
 * Value encoding v1 of an enum: tag {@code 0x04} and the constant's {@linkplain Enum#name() name} in
 * UTF-8, so reordering constants never changes what a stored value means (renaming one does), padded
 * with {@code 0x00} bytes to the longest constant name so that every constant's stored value has one
 * length (a name cannot contain NUL, so the padding is unambiguous; values written unpadded by earlier
 * versions read the same).
 */
final class EnumCodec implements ValueCodec {
  static final byte TAG = 0x04;

  private final Class<? extends Enum<?>> type;
  private final int longest;

  @SuppressWarnings({"unchecked", "rawtypes"})
  EnumCodec(Class<? extends Enum> type) {
    this.type = (Class<? extends Enum<?>>) (Class) type;
    int max = 0;
    for (Enum<?> constant : this.type.getEnumConstants()) {
      max = Math.max(max, constant.name().getBytes(StandardCharsets.UTF_8).length);
    }
    this.longest = max;
  }

  @Override
  public byte tag() {
    return TAG;
  }

  @Override
  public Class<?> javaType() {
    return type;
  }

  @Override
  public byte[] encode(Object value) {
    byte[] name = StrictUtf8.encode(((Enum<?>) value).name());
    byte[] out = new byte[1 + Math.max(longest, name.length)];
    out[0] = TAG;
    System.arraycopy(name, 0, out, 1, name.length);
    return out;
  }

  @Override
  public Object decode(byte[] encoded) {
    if (encoded.length == 0 || encoded[0] != TAG) {
      throw new IllegalArgumentException("value was not encoded as an enum");
    }
    int end = encoded.length;
    while (end > 1 && encoded[end - 1] == 0) {
      end--;
    }
    String name = new String(encoded, 1, end - 1, StandardCharsets.UTF_8);
    for (Enum<?> constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("stored constant is not one of " + type.getSimpleName()
        + "'s " + type.getEnumConstants().length + " constants (renamed or removed?)");
  }

  @Override
  public int maxLength(long length, int precision) {
    return 1 + longest;
  }

  @Override
  public String toString() {
    return "ENUM(" + type.getName() + ")";
  }
}
