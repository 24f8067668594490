package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.spi.InFlightMetadataCollector;
import org.hibernate.boot.spi.MetadataBuildingContext;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.SyntheticProperty;
import org.hibernate.mapping.Value;

/**
 * Gives every entity hierarchy with {@code @Encrypted} attributes its row footer: a synthetic attribute
 * ({@value #ATTRIBUTE}, hidden from the JPA metamodel, no field in the entity) on the root entity,
 * mapped to a binary column sized exactly for a footer ({@link Envelope#footerLength}). Fails the boot
 * ({@code RS-4006}, naming the entity) where a row could not be signed, and ({@code RS-4005}) for a
 * {@code @Signed} attribute in an entity without one.
 */
final class RowFooterMappings {
  /** Name of the synthetic footer attribute. */
  static final String ATTRIBUTE = "_rowsealSignature";

  private RowFooterMappings() {}

  /** The root entities that get a footer: those of every entity with an encrypted attribute. */
  static Set<PersistentClass> roots(List<EncryptedMappings.Found> encrypted) {
    Set<PersistentClass> roots = new LinkedHashSet<>();
    encrypted.forEach(f -> roots.add(f.entity().getRootClass()));
    return roots;
  }

  /** Validates and adds the footer attribute of every root in {@code roots}. */
  static void contribute(InFlightMetadataCollector metadata, MetadataBuildingContext context,
      RowsealSettings settings, List<EncryptedMappings.Found> encrypted) {
    Set<PersistentClass> roots = roots(encrypted);
    List<SignedMappings.Found> signed = SignedMappings.scan(metadata.getEntityBindings());
    for (SignedMappings.Found s : signed) {
      if (!roots.contains(s.entity().getRootClass())) {
        throw SignedMappings.misplaced(s.entity(), s.path(), "in an entity without @Encrypted attributes, "
            + "whose rows have no signature (the row's data key signs it)");
      }
    }
    for (PersistentClass entity : metadata.getEntityBindings()) {
      if (roots.contains(entity.getRootClass())) {
        check(entity, encrypted, signed);
      }
    }
    int width = Envelope.footerLength(settings.sizingKeyId());
    for (PersistentClass root : roots) {
      addFooter(root, metadata, context, settings.rowSignatureColumn(), width);
    }
  }

  private static void check(PersistentClass entity, List<EncryptedMappings.Found> encrypted,
      List<SignedMappings.Found> signed) {
    if (entity.useDynamicUpdate()) {
      throw cannotSign(entity, "it is @DynamicUpdate, which leaves unchanged columns out of an UPDATE, "
          + "but every row write re-encrypts all its encrypted values under one new data key");
    }
    Map<String, String> names = new HashMap<>();
    for (EncryptedMappings.Found f : encrypted) {
      if (inHierarchyOf(f.entity(), entity)) {
        Property p = f.property();
        if (!HibernateLine.writtenWithRow(p)) {
          throw cannotSign(entity, "its @Encrypted attribute " + f.path() + " is not written with every "
              + "row write (insertable/updatable = false, or generated)");
        }
        unique(entity, names, f.jdbcType().attribute().context(), f.path());
      }
    }
    for (SignedMappings.Found s : signed) {
      if (inHierarchyOf(s.entity(), entity)) {
        unique(entity, names, s.name(), s.path());
      }
    }
    String problem = idProblem(entity.getIdentifier());
    if (problem != null) {
      throw cannotSign(entity, "its id " + problem);
    }
  }

  private static void unique(PersistentClass entity, Map<String, String> names, String name, String path) {
    String other = names.put(name, path);
    if (other != null) {
      throw cannotSign(entity, "its attributes " + other + " and " + path + " share the logical name '"
          + name + "' (set @Encrypted/@Signed(context) apart)");
    }
  }

  /** Why the id has no canonical encoding, or {@code null}. */
  private static String idProblem(Value id) {
    List<Value> parts = new ArrayList<>();
    if (id instanceof Component component) {
      component.getProperties().forEach(p -> parts.add(p.getValue()));
    } else {
      parts.add(id);
    }
    Set<String> unsupported = new TreeSet<>();
    for (Value part : parts) {
      if (!(part instanceof BasicValue basic) || basic.resolve() == null) {
        unsupported.add("an association");
        continue;
      }
      Class<?> type = basic.getResolution().getDomainJavaType().getJavaTypeClass();
      if (ValueCodec.forType(type) == null) {
        unsupported.add(type.getName());
      }
    }
    return unsupported.isEmpty() ? null : "has parts without a value encoding (" + String.join(", ", unsupported)
        + "); supported: " + ValueCodec.SUPPORTED;
  }

  static boolean inHierarchyOf(PersistentClass declaring, PersistentClass entity) {
    for (PersistentClass c = entity; c != null; c = c.getSuperclass()) {
      if (c == declaring) {
        return true;
      }
    }
    return false;
  }

  private static void addFooter(PersistentClass root, InFlightMetadataCollector metadata,
      MetadataBuildingContext context, String columnName, int width) {
    Identifier physical = context.getBuildingOptions().getPhysicalNamingStrategy()
        .toPhysicalColumnName(Identifier.toIdentifier(columnName), metadata.getDatabase().getJdbcEnvironment());
    Column column = new Column(physical.render(metadata.getDatabase().getDialect()));
    if (root.getTable().getColumn(column) != null) {
      throw cannotSign(root, "its table " + root.getTable().getName() + " already has a column "
          + column.getName() + " (choose another footer column with " + RowsealSettings.ROW_SIGNATURE_COLUMN + ")");
    }
    column.setLength((long) width);
    column.setNullable(true);
    FooterJdbcType jdbcType = new FooterJdbcType(root.getJpaEntityName());
    FooterJavaType javaType = new FooterJavaType(jdbcType);
    BasicValue value = new BasicValue(context, root.getTable());
    value.setExplicitJavaTypeAccess(types -> javaType);
    value.setExplicitJdbcTypeAccess(types -> jdbcType);
    value.setExplicitMutabilityPlanAccess(types -> javaType.getMutabilityPlan());
    value.addColumn(column);
    root.getTable().addColumn(column);
    SyntheticProperty property = new SyntheticProperty();
    property.setName(ATTRIBUTE);
    property.setValue(value);
    HibernateLine.writeWithRow(property);
    property.setOptimisticLocked(false);
    property.setOptional(true);
    property.setLazy(false);
    property.setPropertyAccessStrategy(FooterAccess.INSTANCE);
    root.addProperty(property);
  }

  /** The footer attribute of {@code root}, or {@code null} if it has none. */
  static Property footer(PersistentClass root) {
    for (Property p : root.getProperties()) {
      if (p instanceof SyntheticProperty && ATTRIBUTE.equals(p.getName())) {
        return p;
      }
    }
    return null;
  }

  /** The roots of {@code entities} that carry a footer. */
  static List<PersistentClass> signedRoots(Collection<PersistentClass> entities) {
    List<PersistentClass> out = new ArrayList<>();
    for (PersistentClass e : entities) {
      if (e.getSuperclass() == null && footer(e) != null) {
        out.add(e);
      }
    }
    return out;
  }

  static EncryptedMappingException cannotSign(PersistentClass entity, String why) {
    return new EncryptedMappingException("RS-4006", "entity " + entity.getJpaEntityName() + " cannot carry "
        + "a row signature: " + why + ". Change the mapping, or set " + RowsealSettings.ROW_SIGNATURE
        + "=false to store its rows unsigned");
  }
}
