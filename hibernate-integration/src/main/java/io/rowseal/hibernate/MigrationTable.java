package io.rowseal.hibernate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.BasicEntityIdentifierMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;

/**
 * The table a {@link RowMigration} walks, read with plain JDBC so that rows already current cost no
 * Hibernate load: the id column, every encrypted column of the hierarchy (binary or text form), the
 * footer column and the blind-index columns of searchable attributes. Keyset pagination by the id, in the
 * database's order of the id column. Immutable.
 */
final class MigrationTable {

  /** One encrypted column of the table. */
  record Sealed(String column, EncryptedAttribute attribute, StorageForm form, EncryptedJdbcType type) {}

  /**
   * One blind-index column: the position in {@link #sealed} of the attribute it indexes, and its purpose
   * (0: equality, k: prefix of k characters).
   */
  record Indexed(String column, int sealed, int purpose) {}

  /**
   * One row as stored: its id, the stored bytes of each encrypted column (text form decoded later), its
   * footer, the tag in each blind-index column (by position in {@link #indexed}).
   */
  record Raw(Object id, Object[] values, byte[] footer, byte[][] tags) {
    boolean sameAs(Raw other) {
      return other != null && Arrays.deepEquals(values, other.values) && Arrays.equals(footer, other.footer)
          && Arrays.deepEquals(tags, other.tags);
    }
  }

  final EntityPersister persister;
  final String entityName;
  final String table;
  final String idColumn;
  final List<Sealed> sealed;
  /** The footer column, or {@code null} if the entity's rows are not signed. */
  final String footerColumn;
  final List<Indexed> indexed;
  private final JdbcMapping idMapping;
  private final String columns;

  private MigrationTable(EntityPersister persister, String entityName, String table, String idColumn,
      JdbcMapping idMapping, List<Sealed> sealed, String footerColumn) {
    this.persister = persister;
    this.entityName = entityName;
    this.table = table;
    this.idColumn = idColumn;
    this.idMapping = idMapping;
    this.sealed = sealed;
    this.footerColumn = footerColumn;
    List<Indexed> indexed = new ArrayList<>();
    for (int i = 0; i < sealed.size(); i++) {
      SearchIndex index = sealed.get(i).type().search();
      for (int purpose = 0; index != null && purpose <= index.prefix(); purpose++) {
        indexed.add(new Indexed(purpose == 0 ? index.equalityColumn() : index.prefixColumn(purpose), i, purpose));
      }
    }
    this.indexed = List.copyOf(indexed);
    List<String> names = new ArrayList<>();
    names.add(idColumn);
    sealed.forEach(s -> names.add(s.column()));
    if (footerColumn != null) {
      names.add(footerColumn);
    }
    indexed.forEach(x -> names.add(x.column()));
    this.columns = String.join(", ", names);
  }

  /**
   * The table of {@code type}'s hierarchy; refuses ({@code RS-4501}) an entity without encrypted
   * attributes, a composite or non-orderable id, and encrypted columns outside the id's table.
   */
  static MigrationTable of(SessionFactoryImplementor factory, Class<?> type) {
    EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
    String name = HibernateLine.jpaEntityName(factory, persister);
    if (!(persister.getIdentifierMapping() instanceof BasicEntityIdentifierMapping id)) {
      throw refused(name, "its id has several columns, so its rows have no single order to resume from; "
          + "rewrite them by reading each with StatelessSession.get and writing it back with update");
    }
    Class<?> idType = id.getJavaType().getJavaTypeClass();
    if (!Comparable.class.isAssignableFrom(idType) && !idType.isPrimitive()) {
      throw refused(name, "its id type " + idType.getName() + " is not orderable, so its rows have no "
          + "order to resume from");
    }
    String table = id.getContainingTableExpression();
    Map<String, Sealed> sealed = new LinkedHashMap<>();
    List<String> elsewhere = new ArrayList<>();
    for (String entity : hierarchy(persister)) {
      factory.getMappingMetamodel().getEntityDescriptor(entity).forEachSelectable((i, s) -> {
        if (s.getJdbcMapping().getJdbcType() instanceof EncryptedJdbcType t) {
          if (!s.getContainingTableExpression().equals(table)) {
            elsewhere.add(t.attribute() + " (table " + s.getContainingTableExpression() + ")");
          } else {
            sealed.putIfAbsent(s.getSelectionExpression(),
                new Sealed(s.getSelectionExpression(), t.attribute(), t.form(), t));
          }
        }
      });
    }
    if (sealed.isEmpty() && elsewhere.isEmpty()) {
      throw refused(name, "it has no @Encrypted attribute");
    }
    if (!elsewhere.isEmpty()) {
      throw refused(name, "encrypted attributes live outside its table " + table + ": " + elsewhere
          + " (secondary or joined tables are not walked yet)");
    }
    String footer = null;
    RowSignatures signatures = RowSignatures.of(factory);
    if (signatures != null && signatures.entity(persister) != null
        && persister.findAttributeMapping(RowFooterMappings.ATTRIBUTE) instanceof BasicValuedModelPart f) {
      footer = f.getSelectionExpression();
    }
    return new MigrationTable(persister, name, table, id.getSelectionExpression(), id.getJdbcMapping(),
        List.copyOf(sealed.values()), footer);
  }

  private static List<String> hierarchy(EntityPersister persister) {
    List<String> names = new ArrayList<>();
    names.add(persister.getEntityName());
    for (String sub : persister.getSubclassEntityNames()) {
      if (!names.contains(sub)) {
        names.add(sub);
      }
    }
    return names;
  }

  static MigrationException refused(String entity, String why) {
    return new MigrationException("RS-4501", "cannot migrate the rows of " + entity + ": " + why);
  }

  /** Up to {@code limit} rows with an id above {@code after} ({@code null}: from the first), in id order. */
  List<Raw> scan(SharedSessionContractImplementor session, Object after, int limit) {
    String sql = "select " + columns + " from " + table + (after == null ? "" : " where " + idColumn + " > ?")
        + " order by " + idColumn;
    return query(session, sql, after == null ? List.of() : List.of(after), limit);
  }

  /**
   * Locks the rows of {@code ids} that still exist ({@code select ... for update}, in id order, so two
   * runs never deadlock each other) and returns them as they are now, until the transaction ends.
   */
  List<Raw> lock(SharedSessionContractImplementor session, List<Object> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String sql = "select " + columns + " from " + table + " where " + idColumn + " in ("
        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") order by " + idColumn
        + session.getJdbcServices().getDialect().getForUpdateString();
    return query(session, sql, ids, 0);
  }

  /** The envelope the session factory encrypts with. */
  io.rowseal.envelope.Envelope envelope() {
    return sealed.get(0).type().rowWrites().envelope();
  }

  /** How many rows the table holds (the total of the progress). */
  long count(SharedSessionContractImplementor session) {
    return session.doReturningWork(c -> {
      try (var ps = c.prepareStatement("select count(*) from " + table); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** The id as the checkpoint keeps it (its Java type's string form). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  String idToString(Object id) {
    return ((org.hibernate.type.descriptor.java.JavaType) idMapping.getJavaTypeDescriptor()).toString(id);
  }

  Object idFromString(String id) {
    return id == null ? null : idMapping.getJavaTypeDescriptor().fromString(id);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Raw> query(SharedSessionContractImplementor session, String sql, List<Object> params, int limit) {
    return session.doReturningWork(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ValueBinder binder = idMapping.getJdbcValueBinder();
        for (int i = 0; i < params.size(); i++) {
          binder.bind(ps, idMapping.convertToRelationalValue(params.get(i)), i + 1, session);
        }
        if (limit > 0) {
          ps.setMaxRows(limit);
          ps.setFetchSize(Math.min(limit, 1000));
        }
        ValueExtractor extractor = idMapping.getJdbcValueExtractor();
        List<Raw> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object id = idMapping.convertToDomainValue(extractor.extract(rs, 1, session));
            Object[] values = new Object[sealed.size()];
            for (int i = 0; i < values.length; i++) {
              values[i] = sealed.get(i).form() == StorageForm.BINARY ? rs.getBytes(i + 2) : rs.getString(i + 2);
            }
            int at = values.length + 2;
            byte[] footer = footerColumn == null ? null : rs.getBytes(at++);
            byte[][] tags = new byte[indexed.size()][];
            for (int i = 0; i < tags.length; i++) {
              tags[i] = rs.getBytes(at++);
            }
            rows.add(new Raw(id, values, footer, tags));
          }
        }
        return rows;
      } catch (SQLException e) {
        throw session.getJdbcServices().getSqlExceptionHelper().convert(e, "could not read rows of " + entityName, sql);
      }
    });
  }
}
