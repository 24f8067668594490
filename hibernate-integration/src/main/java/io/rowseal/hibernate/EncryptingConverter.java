package io.rowseal.hibernate;

import org.hibernate.type.descriptor.converter.spi.BasicValueConverter;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * The domain side of one encrypted attribute: converts its value to the plaintext encoding that
 * {@link EncryptedJdbcType} encrypts ({@link AttributeCodec}: after the application's own converter, an
 * enum by name or ordinal, …), and back. No cryptography happens here, so Hibernate may call it freely
 * (snapshot copies, query literals, the second-level cache) without costing a data key.
 *
 * <p>Installed by {@link EncryptedBinding} on every attribute annotated {@link io.rowseal.Encrypted};
 * one instance per attribute. Stateless after boot and thread-safe.
 */
final class EncryptingConverter implements BasicValueConverter<Object, byte[]> {
  private final JavaType<Object> domainType;
  private final AttributeCodec codec;
  private final EncryptedJdbcType jdbcType;
  private final PlaintextJavaType relationalType;

  @SuppressWarnings("unchecked")
  EncryptingConverter(JavaType<?> domainType, AttributeCodec codec, EncryptedJdbcType jdbcType) {
    this.domainType = (JavaType<Object>) domainType;
    this.codec = codec;
    this.jdbcType = jdbcType;
    this.relationalType = new PlaintextJavaType(jdbcType);
  }

  EncryptedJdbcType jdbcType() {
    return jdbcType;
  }

  AttributeCodec codec() {
    return codec;
  }

  @Override
  public byte[] toRelationalValue(Object domainForm) {
    if (domainForm == null) {
      return null;
    }
    try {
      return codec.ofDomain(domainForm);
    } catch (IllegalArgumentException | ClassCastException | org.hibernate.HibernateException e) {
      EncryptedAttribute a = jdbcType.attribute();
      throw new EncryptedWriteException("RS-4102", a, "the value cannot be converted to bytes: "
          + e.getMessage(), null);
    }
  }

  /**
   * Whether {@code domainForm} converts to exactly {@code plaintext} (row signatures check that an entity
   * holds the value its row write stored); a value that cannot be encoded matches no plaintext.
   */
  boolean convertsTo(Object domainForm, byte[] plaintext) {
    if (domainForm == null || plaintext == null) {
      return domainForm == null && plaintext == null;
    }
    try {
      return codec.encodesTo(domainForm, plaintext);
    } catch (IllegalArgumentException | ClassCastException | org.hibernate.HibernateException e) {
      return false;
    }
  }

  @Override
  public Object toDomainValue(byte[] relationalForm) {
    if (relationalForm == null) {
      return null;
    }
    try {
      return codec.toDomain(relationalForm);
    } catch (IllegalArgumentException | ClassCastException | org.hibernate.HibernateException e) {
      throw new EncryptedReadException("RS-4203", jdbcType.attribute(), null,
          "the decrypted value is not a " + codec.codec().javaType().getSimpleName() + ": " + e.getMessage(),
          null);
    }
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
  public String toString() {
    return "EncryptingConverter(" + jdbcType + ", " + codec + ")";
  }
}
