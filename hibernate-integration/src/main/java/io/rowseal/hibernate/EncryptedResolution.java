package io.rowseal.hibernate;

import org.hibernate.mapping.BasicValue;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.type.BasicType;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.java.MutabilityPlan;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.internal.ConvertedBasicTypeImpl;

/**
 * The mapping of an encrypted attribute: the attribute's own Java type and mutability (as Hibernate
 * resolved them, so dirty checking and the caches see the plaintext value), converted by
 * {@link EncryptingConverter} to its plaintext encoding, stored through {@link EncryptedJdbcType}.
 * The interface and the converted type it builds are the same on every supported Hibernate line.
 */
final class EncryptedResolution implements BasicValue.Resolution<Object> {
  private final JavaType<Object> domainType;
  private final MutabilityPlan<Object> mutabilityPlan;
  private final EncryptingConverter converter;
  private final BasicType<Object> type;

  @SuppressWarnings("unchecked")
  EncryptedResolution(BasicValue.Resolution<?> plain, EncryptingConverter converter) {
    this.domainType = (JavaType<Object>) plain.getDomainJavaType();
    this.mutabilityPlan = (MutabilityPlan<Object>) plain.getMutabilityPlan();
    this.converter = converter;
    EncryptedAttribute a = converter.jdbcType().attribute();
    this.type = new ConvertedBasicTypeImpl<>("rowseal-encrypted:" + a.qualifiedName(),
        "encrypted " + domainType.getTypeName() + " (" + a.qualifiedName() + ")", converter.jdbcType(),
        converter);
  }

  @Override
  public BasicType<Object> getLegacyResolvedBasicType() {
    return type;
  }

  @Override
  public JdbcMapping getJdbcMapping() {
    return type;
  }

  @Override
  public JavaType<Object> getDomainJavaType() {
    return domainType;
  }

  @Override
  public JavaType<?> getRelationalJavaType() {
    return converter.getRelationalJavaType();
  }

  @Override
  public JdbcType getJdbcType() {
    return converter.jdbcType();
  }

  @Override
  public EncryptingConverter getValueConverter() {
    return converter;
  }

  @Override
  public MutabilityPlan<Object> getMutabilityPlan() {
    return mutabilityPlan;
  }
}
