package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.boot.Metadata;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The row signatures of one session factory: which entities are signed and what of them
 * ({@link SignedEntity}, resolved against each persister on first use), the per-session record of what
 * loads read ({@link LoadedRows}) and whether unsigned rows may load. Thread-safe.
 */
final class RowSignatures {

  /** One hierarchy's footer column, for the start-up column check. */
  record Footer(String entity, BasicValue value, Column column, int width, String branchKeyId) {}

  private record Boot(String name, FooterJdbcType footer, List<EncryptedMappings.Found> encrypted,
      List<SignedMappings.Found> signed) {}

  private final RowWrites rowWrites;
  private final LoadedRows loaded = new LoadedRows();
  private final boolean required;
  private final Map<String, Boot> boot;
  private final List<Footer> footers;
  private final Map<String, Optional<SignedEntity>> resolved = new ConcurrentHashMap<>();

  private RowSignatures(RowWrites rowWrites, boolean required, Map<String, Boot> boot, List<Footer> footers) {
    this.rowWrites = rowWrites;
    this.required = required;
    this.boot = boot;
    this.footers = footers;
  }

  /** Collects the signed entities of {@code metadata} and starts their footer columns. */
  static RowSignatures of(Metadata metadata, List<EncryptedMappings.Found> encrypted, RowWrites rowWrites,
      RowsealSettings settings) {
    List<SignedMappings.Found> signed = SignedMappings.scan(metadata.getEntityBindings());
    Map<String, Boot> boot = new HashMap<>();
    List<Footer> footers = new ArrayList<>();
    for (PersistentClass root : RowFooterMappings.signedRoots(metadata.getEntityBindings())) {
      Property property = RowFooterMappings.footer(root);
      BasicValue value = (BasicValue) property.getValue();
      footers.add(new Footer(root.getJpaEntityName(), value, (Column) value.getColumn(),
          Envelope.footerLength(settings.sizingKeyId()), settings.branchKeyId()));
    }
    RowSignatures signatures = new RowSignatures(rowWrites, settings.rowSignatureRequired(), boot, footers);
    for (PersistentClass entity : metadata.getEntityBindings()) {
      Property property = RowFooterMappings.footer(entity.getRootClass());
      if (property == null) {
        continue;
      }
      FooterJdbcType footer =
          (FooterJdbcType) ((BasicValue) property.getValue()).getResolution().getJdbcType();
      footer.start(rowWrites, signatures.loaded);
      boot.put(entity.getEntityName(), new Boot(entity.getJpaEntityName(), footer,
          encrypted.stream().filter(f -> RowFooterMappings.inHierarchyOf(f.entity(), entity)).toList(),
          signed.stream().filter(s -> RowFooterMappings.inHierarchyOf(s.entity(), entity)).toList()));
    }
    return signatures;
  }

  /** The row signatures rowseal started for {@code factory}, or {@code null} if rows are not signed. */
  static RowSignatures of(SessionFactoryImplementor factory) {
    StartedFactory started = StartedFactory.of(factory);
    return started == null ? null : started.signatures();
  }

  /** The JPA names of every entity whose rows are signed (subclasses too), sorted. */
  java.util.SortedSet<String> entityNames() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    boot.values().forEach(b -> names.add(b.name()));
    return names;
  }

  /** How {@code persister}'s rows are signed, or {@code null} if they are not. */
  SignedEntity entity(EntityPersister persister) {
    return resolved.computeIfAbsent(persister.getEntityName(), name -> {
      Boot b = boot.get(name);
      return b == null ? Optional.empty()
          : Optional.of(new SignedEntity(b.name(), persister, b.footer(), b.encrypted(), b.signed()));
    }).orElse(null);
  }

  Envelope envelope() {
    return rowWrites.envelope();
  }

  RowWrites rowWrites() {
    return rowWrites;
  }

  LoadedRows loaded() {
    return loaded;
  }

  /** Whether a row without a footer fails to load ({@link RowsealSettings#ROW_SIGNATURE_REQUIRE}). */
  boolean required() {
    return required;
  }

  List<Footer> footers() {
    return footers;
  }
}
