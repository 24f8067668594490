package io.rowseal.agent.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.boot.Metadata;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Value;

/**
 * Walks a boot metamodel (entities, their mapped superclasses, embeddables) and, for every configured
 * {@code Class#field} that Hibernate maps, collects why it would not be stored encrypted:
 * <ul>
 *   <li>the field does not carry {@code @Encrypted} at run time (its class was loaded before the agent
 *       could annotate it, or the transformation failed);
 *   <li>the attribute uses property access, so Hibernate reads its mapping from the getter, not the field;
 *   <li>the attribute is not a basic value (an association, a collection, an embedded object, the id);
 *   <li>its resolved mapping carries neither rowseal's JDBC type nor its converter.
 * </ul>
 * Configured fields of mapped classes that Hibernate does not persist are only warned about.
 *
 * <p>Not thread-safe; one instance per session factory build.
 */
final class MappingVerifier {

  private static final String PROPERTY_ACCESS = "property";
  private static final String ROWSEAL_PACKAGE = "io.rowseal.";

  /** {@code Class#field} → {context, origin}. */
  private final Map<String, String[]> configured;
  private final Map<String, String> problems = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Set<String> mappedClasses = new HashSet<>();

  MappingVerifier(Map<String, String[]> configured) {
    this.configured = configured;
  }

  void verify(Metadata metadata) {
    for (PersistentClass entity : metadata.getEntityBindings()) {
      Class<?> type = mappedClassOrNull(entity);
      if (type == null) {
        continue;
      }
      noteHierarchy(type);
      Property id = entity.getIdentifierProperty();
      if (id != null) {
        checkNotConfigured(type, id, "it is the identifier, which is never encrypted");
      }
      for (Property property : entity.getPropertyClosure()) {
        visit(type, property);
      }
    }
    for (Map.Entry<String, String[]> target : configured.entrySet()) {
      String id = target.getKey();
      String className = id.substring(0, id.indexOf('#'));
      if (mappedClasses.contains(className) && !seen.contains(id) && !problems.containsKey(id)) {
        warnings.add("RS-6206 " + id + " (" + target.getValue()[1] + ") is configured for encryption but "
            + "Hibernate does not persist it (transient, or not a mapped attribute): nothing to encrypt");
      }
    }
  }

  List<String> problems() {
    return new ArrayList<>(problems.values());
  }

  List<String> warnings() {
    return warnings;
  }

  private void visit(Class<?> owner, Property property) {
    Field field = declaredField(owner, property.getName());
    String id = field == null ? null : field.getDeclaringClass().getName() + "#" + property.getName();
    Value value = property.getValue();
    if (value instanceof Component component) {
      if (id != null && configured.containsKey(id)) {
        problem(id, "it is an embedded object; configure the fields of "
            + component.getComponentClassName() + " instead");
      }
      Class<?> componentType = componentClassOrNull(component);
      if (componentType != null) {
        noteHierarchy(componentType);
        for (Property nested : component.getProperties()) {
          visit(componentType, nested);
        }
      }
      return;
    }
    if (id == null || !configured.containsKey(id)) {
      return;
    }
    seen.add(id);
    if (!(value instanceof BasicValue)) {
      problem(id, "it is not a basic attribute (association or collection), which rowseal cannot encrypt");
      return;
    }
    if (PROPERTY_ACCESS.equals(property.getPropertyAccessorName())) {
      problem(id, "its entity uses property access, so Hibernate reads the mapping from the getter and "
          + "ignores the field's @Encrypted; the agent supports field access only (docs/AGENT.md, Limits)");
      return;
    }
    Encrypted annotation = field.getAnnotation(Encrypted.class);
    if (annotation == null) {
      problem(id, "the field carries no @Encrypted at run time: " + field.getDeclaringClass().getName()
          + " was loaded (by " + field.getDeclaringClass().getClassLoader() + ") before the agent could "
          + "annotate it, or its transformation failed (see RS-6101 above)");
      return;
    }
    if (!mappedByRowseal((BasicValue) value)) {
      problem(id, "Hibernate maps it with a plain JDBC type and no rowseal converter: the rowseal "
          + "integration did not take it over");
      return;
    }
    String wanted = configured.get(id)[0];
    if (!wanted.isEmpty() && !wanted.equals(annotation.context())) {
      warnings.add("RS-6206 " + id + " (" + configured.get(id)[1] + ") is annotated @Encrypted in its "
          + "source with another context, which the agent leaves alone; its configured context is ignored");
    }
    if (!configured.get(id)[2].isEmpty() && field.getAnnotation(Searchable.class) == null) {
      warnings.add("RS-6206 " + id + " (" + configured.get(id)[1] + ") is annotated @Encrypted in its "
          + "source without @Searchable, which the agent leaves alone; its configured search options are ignored");
    }
  }

  /**
   * The rowseal integration maps an {@code @Encrypted} attribute with its own JDBC type and converter
   * (docs/HIBERNATE.md); a resolved mapping without either is not encrypted. Unresolved: left to the
   * integration's own boot validation.
   */
  private static boolean mappedByRowseal(BasicValue value) {
    BasicValue.Resolution<?> resolution = value.getResolution();
    if (resolution == null) {
      return true;
    }
    return isRowseal(resolution.getJdbcType()) || isRowseal(resolution.getValueConverter());
  }

  private static boolean isRowseal(Object part) {
    return part != null && part.getClass().getName().startsWith(ROWSEAL_PACKAGE);
  }

  private void checkNotConfigured(Class<?> owner, Property property, String why) {
    Field field = declaredField(owner, property.getName());
    if (field != null) {
      String id = field.getDeclaringClass().getName() + "#" + property.getName();
      if (configured.containsKey(id)) {
        seen.add(id);
        problem(id, why);
      }
    }
  }

  private void problem(String id, String why) {
    problems.putIfAbsent(id, id + " (" + configured.get(id)[1] + "): " + why);
  }

  private void noteHierarchy(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      mappedClasses.add(c.getName());
    }
  }

  private static Field declaredField(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getName().equals(name)) {
          return field;
        }
      }
    }
    return null;
  }

  private static Class<?> mappedClassOrNull(PersistentClass entity) {
    try {
      return entity.getMappedClass();
    } catch (RuntimeException dynamicMapEntity) {
      return null;
    }
  }

  private static Class<?> componentClassOrNull(Component component) {
    try {
      return component.isDynamic() ? null : component.getComponentClass();
    } catch (RuntimeException dynamic) {
      return null;
    }
  }
}
