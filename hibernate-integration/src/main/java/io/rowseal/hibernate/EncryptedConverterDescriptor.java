package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Type;
import org.hibernate.boot.model.convert.spi.AutoApplicableConverterDescriptor;
import org.hibernate.boot.model.convert.spi.ConverterDescriptor;
import org.hibernate.boot.model.convert.spi.JpaAttributeConverterCreationContext;
import org.hibernate.boot.spi.MetadataBuildingContext;
import org.hibernate.mapping.BasicValue;
import org.hibernate.models.spi.MemberDetails;
import org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * Makes Hibernate convert every basic attribute annotated {@link Encrypted} with an
 * {@link EncryptingConverter}: an auto-applied converter whose match is the annotation rather than the
 * Java type. Hibernate consults it while it binds each attribute, before it resolves the attribute's
 * JDBC mapping, which is what lets {@link EncryptedJdbcType} be chosen per attribute.
 *
 * <p>JPA does not auto-apply converters to ids, versions, associations, collections, or attributes
 * annotated {@code @Enumerated} or {@code @Temporal}; {@link EncryptedMappingContributor} turns
 * {@code @Encrypted} on any of those into a boot failure instead of a silently plaintext column.
 */
final class EncryptedConverterDescriptor
    implements ConverterDescriptor<Object, byte[]>, AutoApplicableConverterDescriptor {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Class getAttributeConverterClass() {
    return EncryptingConverter.class;
  }

  @Override
  public Type getDomainValueResolvedType() {
    return Object.class;
  }

  @Override
  public Type getRelationalValueResolvedType() {
    return byte[].class;
  }

  @Override
  public AutoApplicableConverterDescriptor getAutoApplyDescriptor() {
    return this;
  }

  @Override
  public JpaAttributeConverter<Object, byte[]> createJpaAttributeConverter(
      JpaAttributeConverterCreationContext context) {
    if (!(context instanceof BasicValue value) || value.getMemberDetails() == null) {
      throw new EncryptedMappingException("RS-4001", "@Encrypted applies to basic attributes of "
          + "annotated entity and embeddable classes only, not to " + context);
    }
    MemberDetails member = value.getMemberDetails();
    Class<?> type = javaClass(value, member);
    ValueCodec codec = type == null ? null : ValueCodec.forType(type);
    if (codec == null) {
      throw new EncryptedMappingException("RS-4002", "@Encrypted attribute "
          + member.getDeclaringType().getName() + "." + member.getName() + " is of type "
          + (type == null ? member.getType().getName() : type.getName())
          + ", which rowseal cannot encrypt; supported: " + ValueCodec.SUPPORTED);
    }
    StorageForm form = StorageForm.ofColumnDefinition(
        value.getColumn() instanceof org.hibernate.mapping.Column c ? c.getSqlType() : null);
    @SuppressWarnings("unchecked")
    JavaType<Object> domainType =
        (JavaType<Object>) context.getJavaTypeRegistry().resolveDescriptor(codec.javaType());
    JavaType<EncryptingConverter> converterType =
        context.getJavaTypeRegistry().resolveDescriptor(EncryptingConverter.class);
    return new EncryptingConverter(domainType, codec, new EncryptedJdbcType(form), converterType);
  }

  private static Class<?> javaClass(BasicValue value, MemberDetails member) {
    if (value.getResolvedJavaType() instanceof Class<?> c) {
      return c;
    }
    try {
      return member.getType().determineRawClass().toJavaClass();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public boolean isAutoApplicable() {
    return true;
  }

  @Override
  public ConverterDescriptor<?, ?> getAutoAppliedConverterDescriptorForAttribute(
      MemberDetails member, MetadataBuildingContext context) {
    return isEncrypted(member) ? this : null;
  }

  @Override
  public ConverterDescriptor<?, ?> getAutoAppliedConverterDescriptorForCollectionElement(
      MemberDetails member, MetadataBuildingContext context) {
    return null;
  }

  @Override
  public ConverterDescriptor<?, ?> getAutoAppliedConverterDescriptorForMapKey(
      MemberDetails member, MetadataBuildingContext context) {
    return null;
  }

  static boolean isEncrypted(MemberDetails member) {
    return annotation(member) != null;
  }

  /** The member's {@code @Encrypted}, or {@code null}. */
  static Encrypted annotation(MemberDetails member) {
    try {
      return member.toJavaMember() instanceof AnnotatedElement e ? e.getAnnotation(Encrypted.class) : null;
    } catch (RuntimeException e) {
      return member.getDirectAnnotationUsage(Encrypted.class);
    }
  }

  @Override
  public String toString() {
    return "EncryptedConverterDescriptor(@" + Encrypted.class.getName() + ")";
  }
}
