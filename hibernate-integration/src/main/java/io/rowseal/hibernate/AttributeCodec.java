package io.rowseal.hibernate;

import org.hibernate.type.descriptor.converter.spi.BasicValueConverter;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * Turns one encrypted attribute's values into the bytes rowseal encrypts, and back, honouring the
 * mapping Hibernate resolved for it without rowseal: an application {@code AttributeConverter} runs
 * first (rowseal encrypts its database form), an enum is encoded by name or, under
 * {@code @Enumerated(ORDINAL)}, by ordinal, and a type without an encoding of its own is encoded in its
 * JDBC form ({@link JdbcForm}), as Hibernate's binder would have handed it to JDBC. Stateless and
 * thread-safe.
 */
final class AttributeCodec {
  private final ValueCodec codec;
  private final BasicValueConverter<Object, Object> converter;
  private final JavaType<Object> boundType;
  private final JdbcForm form;
  private final JdbcForm legacyForm;
  /** Declared length buckets, ascending; empty for none. */
  private final int[] buckets;
  /** Tag of a padded encoding: {@code 0x7F ‖ encoding ‖ 0x80 ‖ 0x00*}; no codec uses it. */
  static final byte PADDED = 0x7F;

  /**
   * @param codec encodes the converted value, or its JDBC form when {@code form} is not null
   * @param converter the application's converter, or {@code null}
   * @param boundType the Java type of the converted values (the converter's database side)
   * @param form the JDBC form values are unwrapped to first, or {@code null}
   * @param legacyForm the JDBC form the column held before it was encrypted, or {@code null} if none
   */
  @SuppressWarnings("unchecked")
  AttributeCodec(ValueCodec codec, BasicValueConverter<?, ?> converter, JavaType<?> boundType, JdbcForm form,
      JdbcForm legacyForm) {
    this(codec, converter, boundType, form, legacyForm, new int[0]);
  }

  @SuppressWarnings("unchecked")
  private AttributeCodec(ValueCodec codec, BasicValueConverter<?, ?> converter, JavaType<?> boundType,
      JdbcForm form, JdbcForm legacyForm, int[] buckets) {
    this.buckets = buckets;
    this.codec = codec;
    this.converter = (BasicValueConverter<Object, Object>) converter;
    this.boundType = (JavaType<Object>) boundType;
    this.form = form;
    this.legacyForm = legacyForm;
  }

  ValueCodec codec() {
    return codec;
  }

  /**
   * This codec with values padded to {@code lengthBuckets} ({@code @Encrypted(lengthBuckets)}).
   *
   * @throws IllegalArgumentException if the buckets are not positive and strictly ascending
   */
  AttributeCodec padded(int[] lengthBuckets) {
    for (int i = 0; i < lengthBuckets.length; i++) {
      if (lengthBuckets[i] < 1 || (i > 0 && lengthBuckets[i] <= lengthBuckets[i - 1])) {
        throw new IllegalArgumentException("length buckets must be positive and strictly ascending, were "
            + java.util.Arrays.toString(lengthBuckets));
      }
    }
    return new AttributeCodec(codec, converter, boundType, form, legacyForm, lengthBuckets.clone());
  }

  /** The encoding of an entity's attribute value. */
  byte[] ofDomain(Object domain) {
    Object value = converter == null ? domain : converter.toRelationalValue(domain);
    byte[] encoded = codec.encode(form == null ? value : form.toCodec(boundType.unwrap(value, form.jdbcClass, null)));
    return buckets.length == 0 ? encoded : pad(encoded);
  }

  /** Whether {@link #ofDomain ofDomain(domain)} equals {@code plaintext} (the codec may answer without encoding). */
  boolean encodesTo(Object domain, byte[] plaintext) {
    if (buckets.length != 0) {
      return java.util.Arrays.equals(ofDomain(domain), plaintext);
    }
    Object value = converter == null ? domain : converter.toRelationalValue(domain);
    return codec.encodesTo(form == null ? value : form.toCodec(boundType.unwrap(value, form.jdbcClass, null)),
        plaintext);
  }

  /** The encoding of an entity's attribute value without length padding (what a blind index hashes). */
  byte[] unpaddedOfDomain(Object domain) {
    Object value = converter == null ? domain : converter.toRelationalValue(domain);
    return codec.encode(form == null ? value : form.toCodec(boundType.unwrap(value, form.jdbcClass, null)));
  }

  /** {@code 0x7F ‖ encoded ‖ 0x80 ‖ 0x00*}, as long as the smallest bucket that holds it. */
  private byte[] pad(byte[] encoded) {
    byte[] out = new byte[paddedLength(encoded.length)];
    out[0] = PADDED;
    System.arraycopy(encoded, 0, out, 1, encoded.length);
    out[1 + encoded.length] = (byte) 0x80;
    return out;
  }

  private int paddedLength(int encodedLength) {
    long needed = encodedLength + 2L;
    for (int bucket : buckets) {
      if (bucket >= needed) {
        return bucket;
      }
    }
    long largest = buckets[buckets.length - 1];
    return (int) Math.min(Integer.MAX_VALUE, (needed + largest - 1) / largest * largest);
  }

  /** The encoding inside a padded one; an unpadded encoding (written before buckets were declared) as is. */
  private static byte[] unpad(byte[] encoded) {
    if (encoded.length == 0 || encoded[0] != PADDED) {
      return encoded;
    }
    int end = encoded.length - 1;
    while (end > 0 && encoded[end] == 0) {
      end--;
    }
    if (end < 1 || encoded[end] != (byte) 0x80) {
      throw new IllegalArgumentException("padded value has no padding marker");
    }
    return java.util.Arrays.copyOfRange(encoded, 1, end);
  }

  /** The attribute value an encoding stands for. */
  Object toDomain(byte[] encoded) {
    Object value = codec.decode(unpad(encoded));
    Object bound = form == null ? value : boundType.wrap(form.fromCodec(value), null);
    return converter == null ? bound : converter.toDomainValue(bound);
  }

  /**
   * The encoding of a legacy plaintext value: what the column held before it was encrypted, as the
   * database left it after the column became binary ({@code stored}: the text's UTF-8 bytes, or the
   * bytes of a binary column) or stayed text ({@code text}). Read as Hibernate would have read the
   * plaintext column: parsed into its JDBC form, wrapped by the attribute's Java type, converted by the
   * application's converter.
   *
   * @throws IllegalArgumentException if the value is not a plaintext of the column's type
   */
  byte[] legacy(byte[] stored, String text) {
    if (legacyForm == null) {
      throw new IllegalArgumentException("rowseal has no plaintext reading of this column's type");
    }
    Object jdbc = legacyForm == JdbcForm.BYTES
        ? (stored != null ? stored : text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        : legacyForm.parse(text != null ? text : StrictUtf8.decode(java.nio.ByteBuffer.wrap(stored)));
    Object bound = boundType.wrap(jdbc, null);
    return ofDomain(converter == null ? bound : converter.toDomainValue(bound));
  }

  /** The longest encoding of a value that fits the declared column size. */
  int maxLength(long length, int precision) {
    int max = codec.maxLength(length, precision);
    return buckets.length == 0 || max == Integer.MAX_VALUE ? max : paddedLength(max);
  }

  @Override
  public String toString() {
    return codec + (form == null ? "" : " of its JDBC form " + form)
        + (converter == null ? "" : " after " + converter.getClass().getSimpleName());
  }
}
