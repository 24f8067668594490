package io.rowseal.hibernate;

import io.rowseal.Searchable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.spi.InFlightMetadataCollector;
import org.hibernate.boot.spi.MetadataBuildingContext;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.SyntheticProperty;
import org.hibernate.mapping.Table;
import org.slf4j.LoggerFactory;

/**
 * Gives every {@link Searchable} attribute its blind-index columns: a synthetic attribute per column
 * (hidden from the JPA metamodel, no field in the entity) whose value is the attribute's tag, written with
 * every row write, and a database index on each (a unique key for {@code unique = true}). Fails the boot
 * with {@code RS-4008}, naming entity and attribute, where a blind index cannot work.
 */
final class SearchMappings {
  /** Prefix of the synthetic attributes' names: {@code _rowsealIndex_email}, {@code _rowsealPrefix2_email}. */
  static final String EQUALITY = "_rowsealIndex_";
  static final String PREFIX = "_rowsealPrefix";
  static final int MAX_PREFIX = 16;

  private SearchMappings() {}

  static void contribute(InFlightMetadataCollector metadata, MetadataBuildingContext context,
      List<EncryptedMappings.Found> encrypted) {
    Set<String> searchable = new HashSet<>();
    for (EncryptedMappings.Found f : encrypted) {
      Searchable s = EncryptedMappings.annotation(f.owner(), f.property().getName(), Searchable.class);
      if (s == null) {
        continue;
      }
      searchable.add(f.entity().getEntityName() + "#" + f.path());
      if (f.jdbcType().search() == null) {
        add(f, s, metadata, context);
      }
    }
    for (PersistentClass entity : metadata.getEntityBindings()) {
      Class<?> owner = entity.getMappedClass();
      if (owner == null) {
        continue;
      }
      for (Property p : entity.getDeclaredProperties()) {
        if (!(p instanceof SyntheticProperty)
            && EncryptedMappings.annotation(owner, p.getName(), Searchable.class) != null
            && !searchable.contains(entity.getEntityName() + "#" + p.getName())) {
          throw refused(entity.getJpaEntityName() + "." + p.getName(), "it is not @Encrypted (a plaintext column is "
              + "searched as it is)");
        }
      }
    }
  }

  private static void add(EncryptedMappings.Found f, Searchable s, InFlightMetadataCollector metadata,
      MetadataBuildingContext context) {
    String name = f.entity().getJpaEntityName() + "." + f.path();
    if (f.path().contains(".")) {
      throw refused(name, "it is inside an embeddable; only an entity's own attributes can be searchable");
    }
    if (f.entity().useDynamicUpdate()) {
      throw refused(name, "its entity is @DynamicUpdate, which would leave the index column out of an UPDATE "
          + "that changes the attribute");
    }
    Class<?> type = f.value().getResolution().getDomainJavaType().getJavaTypeClass();
    boolean text = type == String.class;
    if (!text && (s.prefix() > 0 || s.normalize().length > 0)) {
      throw refused(name, "prefix search and normalization need a String attribute, and it is a " + type.getName());
    }
    if (s.prefix() < 0 || s.prefix() > MAX_PREFIX) {
      throw refused(name, "prefix = " + s.prefix() + " is outside 0 to " + MAX_PREFIX);
    }
    if (s.bits() != 0 && (s.bits() < 8 || s.bits() > SearchIndex.FULL_BITS)) {
      throw refused(name, "bits = " + s.bits() + " is outside 8 to " + SearchIndex.FULL_BITS);
    }
    if (s.distinctValues() < 0) {
      throw refused(name, "distinctValues = " + s.distinctValues() + " is negative");
    }
    long distinct = s.distinctValues() == 0 ? SearchIndex.DEFAULT_DISTINCT : s.distinctValues();
    int bits = s.unique() ? SearchIndex.FULL_BITS : s.bits() != 0 ? s.bits() : SearchIndex.bitsFor(distinct);
    if (!s.unique() && s.bits() != 0 && !SearchIndex.safe(bits, distinct)) {
      LoggerFactory.getLogger(SearchMappings.class).warn("rowseal: RS-4009 {} has a {}-bit blind index for {} "
          + "distinct values, outside the safe range {} < bits < {} (docs/SEARCH.md): {}", name, bits, distinct,
          String.format("%.1f", log2(distinct) / 2), String.format("%.1f", log2(distinct) - 1),
          bits >= log2(distinct) - 1 ? "nearly every value has an index of its own, so the index shows which rows"
              + " are equal" : "so many values share each index value that a lookup decrypts a large part of the"
              + " table");
    }
    Table table = f.value().getTable();
    Column encryptedColumn = (Column) f.value().getColumn();
    String base = encryptedColumn.getName().replace("`", "").replace("\"", "");
    String equalityName = s.column().isEmpty() ? base + "_bidx" : s.column();
    String[] prefixNames = new String[s.prefix()];
    for (int k = 1; k <= s.prefix(); k++) {
      prefixNames[k - 1] = base + "_p" + k;
    }
    SearchIndex index = new SearchIndex(f.jdbcType(), Set.copyOf(Arrays.asList(s.normalize())), s.prefix(),
        s.unique(), bits, physical(equalityName, metadata, context), renderAll(prefixNames, metadata, context),
        text);
    var getter = f.property().getGetter(f.entity().getMappedClass());
    IndexAccess access = new IndexAccess(getter);
    addColumn(f, name, table, index, 0, equalityName, access, metadata, context);
    for (int k = 1; k <= s.prefix(); k++) {
      addColumn(f, name, table, index, k, prefixNames[k - 1], access, metadata, context);
    }
    f.jdbcType().search(index);
  }

  private static String[] renderAll(String[] names, InFlightMetadataCollector metadata,
      MetadataBuildingContext context) {
    String[] out = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = physical(names[i], metadata, context);
    }
    return out;
  }

  private static String physical(String logical, InFlightMetadataCollector metadata, MetadataBuildingContext context) {
    Identifier physical = context.getBuildingOptions().getPhysicalNamingStrategy()
        .toPhysicalColumnName(Identifier.toIdentifier(logical), metadata.getDatabase().getJdbcEnvironment());
    return physical.render(metadata.getDatabase().getDialect());
  }

  private static void addColumn(EncryptedMappings.Found f, String name, Table table, SearchIndex index, int purpose,
      String logical, IndexAccess access, InFlightMetadataCollector metadata, MetadataBuildingContext context) {
    Column column = new Column(physical(logical, metadata, context));
    if (table.getColumn(column) != null) {
      throw refused(name, "its table " + table.getName() + " already has a column " + column.getName()
          + (purpose == 0 ? " (choose another with @Searchable(column))" : ""));
    }
    column.setLength((long) index.tagLength(purpose));
    column.setNullable(true);
    IndexJdbcType jdbcType = new IndexJdbcType(index, purpose);
    IndexJavaType javaType = new IndexJavaType(jdbcType);
    BasicValue value = new BasicValue(context, table);
    value.setExplicitJavaTypeAccess(types -> javaType);
    value.setExplicitJdbcTypeAccess(types -> jdbcType);
    value.setExplicitMutabilityPlanAccess(types -> javaType.getMutabilityPlan());
    value.addColumn(column);
    table.addColumn(column);
    SyntheticProperty property = new SyntheticProperty();
    property.setName((purpose == 0 ? EQUALITY : PREFIX + purpose + "_") + f.path());
    property.setValue(value);
    HibernateLine.writeWithRow(property);
    property.setOptimisticLocked(false);
    property.setOptional(true);
    property.setLazy(false);
    property.setPropertyAccessStrategy(access);
    f.entity().addProperty(property);
    String keyName = indexName(table.getName(), column.getName(), purpose == 0 && index.unique() ? "uk" : "ix");
    if (purpose == 0 && index.unique()) {
      table.getOrCreateUniqueKey(keyName).addColumn(column);
      index.uniqueKey(keyName);
    } else {
      table.getOrCreateIndex(keyName).addColumn(column);
    }
  }

  /** A constraint or index name within the 63 characters PostgreSQL keeps. */
  static String indexName(String table, String column, String kind) {
    String n = (kind + "_" + table + "_" + column).replace("`", "").replace("\"", "");
    if (n.length() <= 63) {
      return n;
    }
    return n.substring(0, 54) + "_" + Integer.toHexString(n.hashCode());
  }

  /** The synthetic index properties of {@code entity}. */
  static List<Property> indexProperties(PersistentClass entity) {
    List<Property> out = new ArrayList<>();
    for (Property p : entity.getProperties()) {
      if (p instanceof SyntheticProperty && (p.getName().startsWith(EQUALITY) || p.getName().startsWith(PREFIX))) {
        out.add(p);
      }
    }
    return out;
  }

  private static double log2(long n) {
    return Math.log(Math.max(n, 2)) / Math.log(2);
  }

  static EncryptedMappingException refused(String attribute, String why) {
    return new EncryptedMappingException("RS-4008", attribute + " cannot be @Searchable: " + why);
  }
}
