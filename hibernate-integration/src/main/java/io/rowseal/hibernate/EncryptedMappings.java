package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.engine.OptimisticLockStyle;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.Join;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Value;

/**
 * Walks Hibernate's boot model: finds every attribute annotated {@code @Encrypted} (in the source, or
 * by the agent), and fails, naming entity and attribute, wherever it is placed where it cannot work
 * (ids, versions, associations, collections, unique columns, natural ids, entities whose optimistic
 * locking compares column values).
 */
final class EncryptedMappings {

  /** One encrypted attribute in the boot model. */
  record Found(PersistentClass entity, String path, Property property, BasicValue value, Class<?> owner) {

    /** Its converter, once {@link EncryptedBinding} has bound it. */
    EncryptingConverter converter() {
      if (bound()) {
        return (EncryptingConverter) value.getResolution().getValueConverter();
      }
      throw new IllegalStateException(entity.getJpaEntityName() + "." + path + " was never bound by rowseal: is "
          + EncryptedMappingContributor.class.getName() + " registered as a Hibernate service?");
    }

    /** Its JDBC type, once {@link EncryptedBinding} has bound it. */
    EncryptedJdbcType jdbcType() {
      return converter().jdbcType();
    }

    /** Whether {@link EncryptedBinding} has bound it already (a second metadata build of one model). */
    boolean bound() {
      return value.getResolution() != null
          && value.getResolution().getValueConverter() instanceof EncryptingConverter;
    }
  }

  private final List<Found> found = new ArrayList<>();
  private final Map<Value, Boolean> seen = new IdentityHashMap<>();

  private EncryptedMappings() {}

  static List<Found> scan(Collection<PersistentClass> entities) {
    EncryptedMappings m = new EncryptedMappings();
    for (PersistentClass entity : entities) {
      m.entity(entity);
    }
    return m.found;
  }

  private void entity(PersistentClass entity) {
    Class<?> type = entity.getMappedClass();
    if (entity.getIdentifierProperty() != null) {
      refuse(entity, entity.getIdentifierProperty(), type, "an @Id");
    }
    if (entity.getIdentifierMapper() != null) {
      refuseInside(entity, "", entity.getIdentifierMapper(), "an @IdClass id");
    }
    if (entity.getVersion() != null) {
      refuse(entity, entity.getVersion(), type, "a @Version");
    }
    for (Property property : properties(entity)) {
      attribute(entity, "", property, type);
    }
  }

  private void attribute(PersistentClass entity, String prefix, Property property, Class<?> owner) {
    String path = prefix + property.getName();
    Value value = property.getValue();
    boolean annotated = annotation(owner, property.getName(), Encrypted.class) != null;
    if (value instanceof Component component) {
      if (annotated) {
        throw misplaced(entity, path, "an embedded attribute: annotate the basic attributes inside "
            + component.getComponentClassName() + " instead");
      }
      if (component.isKey()) {
        refuseInside(entity, path + ".", component, "an embedded id");
        return;
      }
      for (Property p : component.getProperties()) {
        attribute(entity, path + ".", p, componentClass(component));
      }
      return;
    }
    if (value instanceof org.hibernate.mapping.Collection collection) {
      if (annotated) {
        throw misplaced(entity, path, "a collection");
      }
      if (collection.getElement() instanceof Component element) {
        refuseInside(entity, path + ".", element, "a collection element");
      }
      return;
    }
    if (!(value instanceof BasicValue basic)) {
      if (annotated) {
        throw misplaced(entity, path, "an association");
      }
      return;
    }
    if (!annotated || seen.put(basic, Boolean.TRUE) != null) {
      return;
    }
    if (property.isNaturalIdentifier()) {
      throw misplaced(entity, path, "a @NaturalId: natural-id lookups compare values in SQL");
    }
    if (basic.getColumn() instanceof org.hibernate.mapping.Column c && c.isUnique()) {
      throw new EncryptedMappingException("RS-4004", "@Encrypted attribute " + entity.getJpaEntityName()
          + "." + path + " is unique: the database cannot enforce uniqueness on randomized ciphertext");
    }
    OptimisticLockStyle lock = entity.getOptimisticLockStyle();
    if (lock == OptimisticLockStyle.ALL || lock == OptimisticLockStyle.DIRTY) {
      throw new EncryptedMappingException("RS-4003", "entity " + entity.getJpaEntityName()
          + " uses @OptimisticLocking(type = " + lock + "), which compares column values in SQL; it "
          + "cannot have the @Encrypted attribute " + path + " (use a @Version attribute)");
    }
    found.add(new Found(entity, path, property, basic, owner));
  }

  /** Fails if {@code property} (an id or version) is annotated. */
  private static void refuse(PersistentClass entity, Property property, Class<?> owner, String what) {
    if (property.getValue() instanceof Component component) {
      refuseInside(entity, property.getName() + ".", component, what);
    } else if (annotation(owner, property.getName(), Encrypted.class) != null) {
      throw misplaced(entity, property.getName(), what);
    }
  }

  private static void refuseInside(PersistentClass entity, String prefix, Component component, String what) {
    Class<?> owner = componentClass(component);
    for (Property p : component.getProperties()) {
      if (p.getValue() instanceof Component inner) {
        refuseInside(entity, prefix + p.getName() + ".", inner, what);
      } else if (annotation(owner, p.getName(), Encrypted.class) != null) {
        throw misplaced(entity, prefix + p.getName(), "part of " + what);
      }
    }
  }

  private static EncryptedMappingException misplaced(PersistentClass entity, String path, String what) {
    return new EncryptedMappingException("RS-4001", "@Encrypted on " + entity.getJpaEntityName() + "."
        + path + " (" + entity.getClassName() + ") cannot work: it is " + what);
  }

  /** The entity's own properties and those of its secondary tables ({@code @SecondaryTable}). */
  static List<Property> properties(PersistentClass entity) {
    List<Property> properties = new ArrayList<>(entity.getProperties());
    for (Join join : entity.getJoins()) {
      properties.addAll(join.getProperties());
    }
    return properties;
  }

  /** The embeddable's class, or {@code null} for a dynamic component. */
  static Class<?> componentClass(Component component) {
    try {
      return component.getComponentClass();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The annotation on field {@code name} or its getter, searching {@code owner} and its superclasses. */
  static <A extends Annotation> A annotation(Class<?> owner, String name, Class<A> type) {
    for (AnnotatedElement member : members(owner, name)) {
      A a = member.getAnnotation(type);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  static boolean annotationNamed(Class<?> owner, String name, String annotationClass) {
    for (AnnotatedElement member : members(owner, name)) {
      for (Annotation a : member.getAnnotations()) {
        if (a.annotationType().getName().equals(annotationClass)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<AnnotatedElement> members(Class<?> owner, String name) {
    List<AnnotatedElement> members = new ArrayList<>();
    String suffix = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
      for (java.lang.reflect.Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          members.add(f);
        }
      }
      for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
        if (m.getParameterCount() == 0
            && (m.getName().equals("get" + suffix) || m.getName().equals("is" + suffix))) {
          members.add(m);
        }
      }
    }
    return members;
  }
}
