package io.rowseal.hibernate;

import io.rowseal.envelope.RowCanonical;
import java.io.ByteArrayOutputStream;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.CompositeIdentifierMapping;
import org.hibernate.metamodel.mapping.EmbeddableValuedModelPart;
import org.hibernate.metamodel.mapping.ManagedMappingType;
import org.hibernate.persister.entity.EntityPersister;

/**
 * What rowseal signs of one concrete entity type, resolved against its persister: where its footer,
 * its encrypted and its {@code @Signed} attributes sit in the entity state, and how its id encodes.
 * Builds the canonical row ({@link RowCanonical}) from a state array. Immutable and thread-safe.
 */
final class SignedEntity {
  private static final int NULL = 0xFFFFFFFF;
  private static final byte[][] NO_VALUES = new byte[0][];

  /** An encrypted attribute: its boot-time description, converter and place in the state. */
  record Sealed(EncryptedAttribute attribute, EncryptingConverter converter, Path path) {}

  /** A signed plaintext attribute. */
  record Plain(String name, ValueCodec codec, Path path) {}

  /** Where a (possibly embedded) attribute's value is in an entity state array. */
  record Path(int index, AttributeMapping[] nested) {
    Object get(Object[] state) {
      Object v = state[index];
      for (int i = 0; i < nested.length && v != null; i++) {
        v = nested[i].getValue(v);
      }
      return v;
    }
  }

  /** Supplies the stored bytes of an encrypted attribute whose value is {@code value}. */
  interface StoredBytes {
    byte[] of(Sealed item, Object value);
  }

  final String name;
  final EntityPersister persister;
  final FooterJdbcType footerType;
  final int footerIndex;
  final List<Sealed> sealed;
  final List<Plain> plain;
  /** Each encrypted attribute's position in {@link #sealed}. */
  private final Map<EncryptedAttribute, Integer> sealedIndex;
  private final ValueCodec[] idCodecs;
  private final int[] idOrder;
  private final String footerUpdate;
  /** The table a version 3 footer binds ({@link #boundName}). */
  final String table;
  private final String unsignedIds;
  /** The canonical row's shape: unbound (version 1 and 2 footers) and bound to {@link #table} (version 3). */
  private final RowCanonical.Layout unboundRow;
  private final RowCanonical.Layout boundRow;

  SignedEntity(String name, EntityPersister persister, FooterJdbcType footerType, List<EncryptedMappings.Found> encrypted,
      List<SignedMappings.Found> signed) {
    this.name = name;
    this.persister = persister;
    this.footerType = footerType;
    AttributeMapping footer = persister.findAttributeMapping(RowFooterMappings.ATTRIBUTE);
    this.footerIndex = footer.getStateArrayPosition();
    this.sealed = encrypted.stream().map(f -> new Sealed(f.jdbcType().attribute(), f.converter(),
        path(persister, f.path()))).toList();
    this.plain = signed.stream().map(s -> new Plain(s.name(), s.codec(), path(persister, s.path()))).toList();
    Map<EncryptedAttribute, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < sealed.size(); i++) {
      index.put(sealed.get(i).attribute(), i);
    }
    this.sealedIndex = index;
    if (persister.getIdentifierMapping() instanceof CompositeIdentifierMapping composite) {
      ManagedMappingType parts = composite.getMappedIdEmbeddableTypeDescriptor();
      List<AttributeMapping> sorted = new ArrayList<>();
      parts.forEachAttributeMapping((java.util.function.Consumer<AttributeMapping>) sorted::add);
      sorted.sort(Comparator.comparing(AttributeMapping::getAttributeName));
      this.idOrder = sorted.stream().mapToInt(AttributeMapping::getStateArrayPosition).toArray();
      this.idCodecs = sorted.stream().map(a -> ValueCodec.forType(a.getJavaType().getJavaTypeClass()))
          .toArray(ValueCodec[]::new);
    } else {
      this.idOrder = null;
      this.idCodecs = new ValueCodec[] {
          ValueCodec.forType(persister.getIdentifierMapping().getJavaType().getJavaTypeClass())};
    }
    BasicValuedModelPart column = (BasicValuedModelPart) footer;
    this.table = boundName(column.getContainingTableExpression());
    List<String> key = new ArrayList<>();
    persister.getIdentifierMapping().forEachSelectable((i, s) -> key.add(s.getSelectionExpression()));
    this.footerUpdate = "update " + column.getContainingTableExpression() + " set "
        + column.getSelectionExpression() + " = ? where " + String.join(" = ? and ", key) + " = ?";
    List<String> encryptedNames = sealed.stream().map(s -> s.attribute().context()).toList();
    List<String> signedNames = plain.stream().map(Plain::name).toList();
    this.unboundRow = RowCanonical.Layout.of(name, encryptedNames, signedNames);
    this.boundRow = RowCanonical.Layout.of(name, table, encryptedNames, signedNames);
    this.unsignedIds = "select " + String.join(", ", key) + " from " + column.getContainingTableExpression()
        + " where " + column.getSelectionExpression() + " is null order by " + String.join(", ", key);
  }

  /** The position of {@code attribute} in {@link #sealed}, or -1 if it is not one of this entity's. */
  int indexOf(EncryptedAttribute attribute) {
    Integer i = sealedIndex.get(attribute);
    return i == null ? -1 : i;
  }

  /**
   * The table name a footer binds: unqualified, unquoted, lower case, so that moving the tables to
   * another schema or catalog (a restore, a renamed default schema) keeps every row verifying, while a
   * row copied into another table does not. Renaming the table itself needs its rows re-signed.
   */
  static String boundName(String tableExpression) {
    String name = tableExpression.substring(tableExpression.lastIndexOf('.') + 1);
    return name.replace("\"", "").replace("`", "").replace("[", "").replace("]", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** SQL that selects the ids of this hierarchy's rows without a footer, in id order. */
  String unsignedIdsQuery() {
    return unsignedIds;
  }

  private static Path path(EntityPersister persister, String path) {
    String[] parts = path.split("\\.");
    AttributeMapping top = persister.findAttributeMapping(parts[0]);
    AttributeMapping[] nested = new AttributeMapping[parts.length - 1];
    AttributeMapping current = top;
    for (int i = 1; i < parts.length; i++) {
      current = ((EmbeddableValuedModelPart) current).getEmbeddableTypeDescriptor().findAttributeMapping(parts[i]);
      nested[i - 1] = current;
    }
    return new Path(top.getStateArrayPosition(), nested);
  }

  /**
   * The canonical row of {@code state} with id {@code id}; {@code bound} (what version 3 footers sign)
   * names the row's table and {@code tenant} ({@code null} without multi-tenancy) too.
   */
  byte[] canonical(Object id, Object[] state, StoredBytes stored, boolean bound, String tenant) {
    byte[][] encrypted = encryptedBytes(state, stored);
    byte[][] signed = signedBytes(state);
    return (bound ? boundRow : unboundRow).encode(tenant, idBytes(id), encrypted, signed);
  }

  /** As {@link #canonical}, in the thread's reusable buffer: close it once the MAC is computed. */
  RowCanonical.Scratch canonicalReused(Object id, Object[] state, StoredBytes stored, boolean bound, String tenant) {
    byte[][] encrypted = encryptedBytes(state, stored);
    byte[][] signed = signedBytes(state);
    return (bound ? boundRow : unboundRow).encodeReused(tenant, idBytes(id), encrypted, signed);
  }

  private byte[][] encryptedBytes(Object[] state, StoredBytes stored) {
    byte[][] encrypted = new byte[sealed.size()][];
    for (int i = 0; i < encrypted.length; i++) {
      Sealed s = sealed.get(i);
      encrypted[i] = stored.of(s, s.path().get(state));
    }
    return encrypted;
  }

  private byte[][] signedBytes(Object[] state) {
    byte[][] signed = plain.isEmpty() ? NO_VALUES : new byte[plain.size()][];
    for (int i = 0; i < signed.length; i++) {
      Plain p = plain.get(i);
      Object value = p.path().get(state);
      signed[i] = value == null ? null : p.codec().encode(value);
    }
    return signed;
  }

  /** The id's value encoding v1; a composite id's parts, in attribute-name order, length-prefixed. */
  byte[] idBytes(Object id) {
    if (idOrder == null) {
      return idCodecs[0].encode(id);
    }
    Object[] values = ((CompositeIdentifierMapping) persister.getIdentifierMapping())
        .getMappedIdEmbeddableTypeDescriptor().getValues(id);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < idOrder.length; i++) {
      Object part = values[idOrder[i]];
      byte[] bytes = part == null ? null : idCodecs[i].encode(part);
      int length = bytes == null ? NULL : bytes.length;
      out.write(length >>> 24);
      out.write(length >>> 16);
      out.write(length >>> 8);
      out.write(length);
      if (bytes != null) {
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toByteArray();
  }

  /**
   * Writes the footer of a row whose id the database generated on insert (IDENTITY): one more
   * statement, {@code update <table> set <footer> = ? where <id> = ?}, on the session's connection in
   * its transaction.
   */
  void writeFooter(SharedSessionContractImplementor session, Object id, byte[] footer) {
    var jdbc = session.getJdbcCoordinator();
    PreparedStatement ps = jdbc.getStatementPreparer().prepareStatement(footerUpdate);
    try {
      ps.setBytes(1, footer);
      persister.getIdentifierMapping().breakDownJdbcValues(id, 0, ps, session,
          (i, st, s, value, mapping) -> bind(st, value, mapping, 2 + i, s), session);
      int rows = jdbc.getResultSetReturn().executeUpdate(ps, footerUpdate);
      if (rows != 1) {
        throw new EncryptedWriteException("RS-4105", name, "signing the new row " + id + " updated " + rows
            + " rows instead of one", null);
      }
    } catch (SQLException e) {
      throw session.getJdbcServices().getSqlExceptionHelper().convert(e, "could not sign the new row", footerUpdate);
    } finally {
      jdbc.getLogicalConnection().getResourceRegistry().release(ps);
      jdbc.afterStatementExecution();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void bind(PreparedStatement st, Object value,
      org.hibernate.metamodel.mapping.SelectableMapping mapping, int index, SharedSessionContractImplementor s) {
    try {
      ((org.hibernate.type.descriptor.ValueBinder) mapping.getJdbcMapping().getJdbcValueBinder())
          .bind(st, value, index, s);
    } catch (SQLException e) {
      throw s.getJdbcServices().getSqlExceptionHelper().convert(e, "could not bind the row's id");
    }
  }

  @Override
  public String toString() {
    return "SignedEntity(" + name + ", " + sealed.size() + " encrypted, " + plain.stream().map(Plain::name)
        .collect(Collectors.joining(", ", "signed [", "]")) + ")";
  }
}
