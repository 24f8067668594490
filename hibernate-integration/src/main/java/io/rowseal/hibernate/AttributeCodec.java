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

  /**
   * @param codec encodes the converted value, or its JDBC form when {@code form} is not null
   * @param converter the application's converter, or {@code null}
   * @param boundType the Java type of the converted values (the converter's database side)
   * @param form the JDBC form values are unwrapped to first, or {@code null}
   */
  @SuppressWarnings("unchecked")
  AttributeCodec(ValueCodec codec, BasicValueConverter<?, ?> converter, JavaType<?> boundType, JdbcForm form) {
    this.codec = codec;
    this.converter = (BasicValueConverter<Object, Object>) converter;
    this.boundType = (JavaType<Object>) boundType;
    this.form = form;
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
