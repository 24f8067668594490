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
    this.codec = codec;
    this.converter = (BasicValueConverter<Object, Object>) converter;
    this.boundType = (JavaType<Object>) boundType;
    this.form = form;
    this.legacyForm = legacyForm;
  }

  ValueCodec codec() {
    return codec;
  }

  /** The encoding of an entity's attribute value. */
  byte[] ofDomain(Object domain) {
    Object value = converter == null ? domain : converter.toRelationalValue(domain);
    return codec.encode(form == null ? value : form.toCodec(boundType.unwrap(value, form.jdbcClass, null)));
  }

  /** The attribute value an encoding stands for. */
  Object toDomain(byte[] encoded) {
    Object value = codec.decode(encoded);
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
    return codec.maxLength(length, precision);
  }

  @Override
  public String toString() {
    return codec + (form == null ? "" : " of its JDBC form " + form)
        + (converter == null ? "" : " after " + converter.getClass().getSimpleName());
  }
}
