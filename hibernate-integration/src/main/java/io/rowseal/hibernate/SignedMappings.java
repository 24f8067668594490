package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Signed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Value;

/**
 * Finds every {@link Signed} attribute in Hibernate's boot model, and fails ({@code RS-4005}, naming
 * entity and attribute) wherever it cannot work: ids and versions (the id is always signed), attributes
 * that are also {@code @Encrypted} (always signed), associations, collections, embedded attributes
 * themselves, types without a value encoding, and values Hibernate generates or does not write.
 */
final class SignedMappings {

  /** One signed attribute: its entity, path, logical name, value and codec. */
  record Found(PersistentClass entity, String path, String name, Property property, BasicValue value,
      ValueCodec codec) {}

  private final List<Found> found = new ArrayList<>();

  private SignedMappings() {}

  static List<Found> scan(Collection<PersistentClass> entities) {
    SignedMappings m = new SignedMappings();
    for (PersistentClass entity : entities) {
      m.entity(entity);
    }
    return m.found;
  }

  private void entity(PersistentClass entity) {
    Class<?> type = entity.getMappedClass();
    if (entity.getIdentifierProperty() != null) {
      refuse(entity, "", entity.getIdentifierProperty(), type, "an @Id (the id is always signed)");
    }
    if (entity.getIdentifierMapper() != null) {
      for (Property p : entity.getIdentifierMapper().getProperties()) {
        refuse(entity, "", p, type, "part of an @IdClass id (the id is always signed)");
      }
    }
    if (entity.getVersion() != null) {
      refuse(entity, "", entity.getVersion(), type, "a @Version (Hibernate changes it without a row write)");
    }
    for (Property property : EncryptedMappings.properties(entity)) {
      attribute(entity, "", property, type);
    }
  }

  private void attribute(PersistentClass entity, String prefix, Property property, Class<?> owner) {
    String path = prefix + property.getName();
    Value value = property.getValue();
    Signed signed = EncryptedMappings.annotation(owner, property.getName(), Signed.class);
    if (value instanceof Component component) {
      if (signed != null) {
        throw misplaced(entity, path, "an embedded attribute: annotate the basic attributes inside it");
      }
      if (!component.isKey()) {
        for (Property p : component.getProperties()) {
          attribute(entity, path + ".", p, EncryptedMappings.componentClass(component));
        }
      }
      return;
    }
    if (signed == null) {
      return;
    }
    if (!(value instanceof BasicValue basic)) {
      throw misplaced(entity, path, value instanceof org.hibernate.mapping.Collection ? "a collection"
          : "an association");
    }
    if (EncryptedMappings.annotation(owner, property.getName(), Encrypted.class) != null) {
      throw misplaced(entity, path, "also @Encrypted (encrypted attributes are always signed)");
    }
    if (!HibernateLine.writtenWithRow(property)) {
      throw misplaced(entity, path, "not written with its row (insertable/updatable = false, or generated)");
    }
    Class<?> javaType = basic.getResolution().getDomainJavaType().getJavaTypeClass();
    ValueCodec codec = ValueCodec.forType(javaType);
    if (codec == null) {
      throw misplaced(entity, path, "of type " + javaType.getName() + ", which has no value encoding; "
          + "supported: " + ValueCodec.SUPPORTED);
    }
    String name = signed.context().isBlank() ? entity.getJpaEntityName() + "." + path : signed.context();
    found.add(new Found(entity, path, name, property, basic, codec));
  }

  private static void refuse(PersistentClass entity, String prefix, Property property, Class<?> owner,
      String what) {
    if (property.getValue() instanceof Component component) {
      for (Property p : component.getProperties()) {
        refuse(entity, prefix + property.getName() + ".", p, EncryptedMappings.componentClass(component), what);
      }
    } else if (EncryptedMappings.annotation(owner, property.getName(), Signed.class) != null) {
      throw misplaced(entity, prefix + property.getName(), what);
    }
  }

  static EncryptedMappingException misplaced(PersistentClass entity, String path, String what) {
    return new EncryptedMappingException("RS-4005", "@Signed on " + entity.getJpaEntityName() + "." + path
        + " (" + entity.getClassName() + ") cannot work: it is " + what);
  }
}
