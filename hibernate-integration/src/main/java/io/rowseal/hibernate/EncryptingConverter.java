package io.rowseal.hibernate;

import jakarta.persistence.AttributeConverter;
import org.hibernate.resource.beans.spi.ManagedBean;
import org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * The domain side of one encrypted attribute: converts its value to the plaintext encoding that
 * {@link EncryptedJdbcType} encrypts ({@link ValueCodec}), and back. No cryptography happens here, so
 * Hibernate may call it freely (snapshot copies of {@code byte[]} and {@code char[]} values, the
 * second-level cache) without costing a data key.
 *
 * <p>Applied by {@link EncryptedConverterDescriptor} to every attribute annotated
 * {@link io.rowseal.Encrypted}; one instance per attribute. Stateless after boot and thread-safe.
 */
final class EncryptingConverter
    implements JpaAttributeConverter<Object, byte[]>, AttributeConverter<Object, byte[]> {
  private final JavaType<Object> domainType;
  private final ValueCodec codec;
  private final EncryptedJdbcType jdbcType;
  private final PlaintextJavaType relationalType;
  private final JavaType<EncryptingConverter> converterType;

  EncryptingConverter(JavaType<Object> domainType, ValueCodec codec, EncryptedJdbcType jdbcType,
      JavaType<EncryptingConverter> converterType) {
    this.domainType = domainType;
    this.codec = codec;
    this.jdbcType = jdbcType;
    this.relationalType = new PlaintextJavaType(jdbcType);
    this.converterType = converterType;
  }

  EncryptedJdbcType jdbcType() {
    return jdbcType;
  }

  ValueCodec codec() {
    return codec;
  }

  @Override
  public byte[] toRelationalValue(Object domainForm) {
    if (domainForm == null) {
      return null;
    }
    try {
      return codec.encode(domainForm);
    } catch (IllegalArgumentException | ClassCastException e) {
      EncryptedAttribute a = jdbcType.attribute();
      throw new EncryptedWriteException("RS-4102", a, "the value cannot be converted to bytes: "
          + e.getMessage(), null);
    }
  }

  @Override
  public Object toDomainValue(byte[] relationalForm) {
    if (relationalForm == null) {
      return null;
    }
    try {
      return codec.decode(relationalForm);
    } catch (IllegalArgumentException e) {
      throw new EncryptedReadException("RS-4203", jdbcType.attribute(), null,
          "the decrypted value is not a " + codec.javaType().getSimpleName() + ": " + e.getMessage(), null);
    }
  }

  @Override
  public Object convertToEntityAttribute(byte[] dbData) {
    return toDomainValue(dbData);
  }

  @Override
  public byte[] convertToDatabaseColumn(Object attribute) {
    return toRelationalValue(attribute);
  }

  @Override
  public JavaType<Object> getDomainJavaType() {
    return domainType;
  }

  @Override
  public JavaType<byte[]> getRelationalJavaType() {
    return relationalType;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public JavaType<? extends AttributeConverter<Object, byte[]>> getConverterJavaType() {
    return (JavaType) converterType;
  }

  @Override
  public ManagedBean<? extends AttributeConverter<Object, byte[]>> getConverterBean() {
    EncryptingConverter self = this;
    return new ManagedBean<EncryptingConverter>() {
      @Override
      public Class<EncryptingConverter> getBeanClass() {
        return EncryptingConverter.class;
      }

      @Override
      public EncryptingConverter getBeanInstance() {
        return self;
      }
    };
  }

  @Override
  public String toString() {
    return "EncryptingConverter(" + jdbcType + ", " + codec + ")";
  }
}
