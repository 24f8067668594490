package io.rowseal.hibernate;

import java.util.Map;

/**
 * Turns one attribute value into the bytes that get encrypted, and back: value encoding v1, part of the
 * stored format (the table is in {@code docs/HIBERNATE.md}, the golden vectors in
 * {@code ValueCodecTest}).
 *
 * <p>Every encoding starts with a one-byte tag naming the type and its encoding version, so a value
 * always says how it was written; a new encoding of a type takes a new tag and old values keep
 * decoding. The tag is inside the ciphertext, so it is authenticated like the rest of the value.
 * Implementations are stateless and thread-safe.
 */
interface ValueCodec {

  /** The tag this codec writes first. */
  byte tag();

  /** The Java type it encodes (wrapper type for primitives). */
  Class<?> javaType();

  /**
   * Encodes a non-null value as {@code tag ‖ body}.
   *
   * @throws IllegalArgumentException if the value has no encoding (e.g. a string with an unpaired
   *     surrogate); the message never contains the value
   */
  byte[] encode(Object value);

  /**
   * Whether {@link #encode encode(value)} equals {@code encoded}; a codec may answer without encoding.
   * Not constant-time: both sides are plaintext the application holds (no guess is checked against a secret).
   */
  default boolean encodesTo(Object value, byte[] encoded) {
    return java.util.Arrays.equals(encode(value), encoded);
  }

  /**
   * Decodes {@code tag ‖ body}.
   *
   * @throws IllegalArgumentException if the tag is not this codec's or the body is malformed
   */
  Object decode(byte[] encoded);

  /**
   * The longest encoding (tag included) of a value that fits the attribute's declared column size.
   *
   * @param length the declared {@code @Column(length)}, in characters or bytes
   * @param precision the declared {@code @Column(precision)}, in decimal digits
   */
  int maxLength(long length, int precision);

  /** The codec for {@code type}, or {@code null} if rowseal cannot encrypt it. */
  static ValueCodec forType(Class<?> type) {
    Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
    if (boxed == null) {
      return null;
    }
    if (boxed.isEnum()) {
      return new EnumCodec(boxed.asSubclass(Enum.class));
    }
    for (StandardCodec codec : StandardCodec.values()) {
      if (codec.javaType() == boxed) {
        return codec;
      }
    }
    return null;
  }

  /** The types {@link #forType} accepts, for error messages and docs. */
  String SUPPORTED = "String, byte[], char[], Integer/int, Long/long, Short/short, Boolean/boolean, "
      + "Double/double, BigDecimal, BigInteger, LocalDate, LocalDateTime, LocalTime, Instant, "
      + "OffsetDateTime, UUID and enums";

  Map<Class<?>, Class<?>> BOXES = Map.of(
      int.class, Integer.class, long.class, Long.class, short.class, Short.class,
      boolean.class, Boolean.class, double.class, Double.class);

}
