package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import java.util.List;
import java.util.Set;
import org.hibernate.boot.ResourceStreamLocator;
import org.hibernate.boot.spi.AdditionalMappingContributions;
import org.hibernate.boot.spi.AdditionalMappingContributor;
import org.hibernate.boot.spi.InFlightMetadataCollector;
import org.hibernate.boot.spi.MetadataBuildingContext;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.slf4j.LoggerFactory;

/**
 * Completes the boot model once Hibernate has bound every class: checks where {@code @Encrypted} was
 * placed ({@link EncryptedMappings}), gives each encrypted attribute its logical name and sizes its
 * column for the stored value ({@link io.rowseal.envelope.Envelope#binaryLength}), and adds the row
 * footer column to each entity hierarchy with encrypted attributes ({@link RowFooterMappings}). Runs
 * for every metadata build, also a schema export without a session factory. Found through
 * {@link java.util.ServiceLoader}.
 */
public final class EncryptedMappingContributor implements AdditionalMappingContributor {

  /** JPA's default {@code @Column(length)}. */
  private static final long DEFAULT_LENGTH = 255;

  @Override
  public String getContributorName() {
    return "rowseal";
  }

  @Override
  public void contribute(AdditionalMappingContributions contributions, InFlightMetadataCollector metadata,
      ResourceStreamLocator resourceStreamLocator, MetadataBuildingContext buildingContext) {
    RowsealSettings settings = RowsealSettings.from(buildingContext.getBootstrapContext()
        .getServiceRegistry().requireService(ConfigurationService.class).getSettings());
    int defaultPrecision = metadata.getDatabase().getDialect().getDefaultDecimalPrecision();
    List<EncryptedMappings.Found> found = EncryptedMappings.scan(metadata.getEntityBindings());
    Set<PersistentClass> signedRoots = settings.rowSignature() ? RowFooterMappings.roots(found) : Set.of();
    for (EncryptedMappings.Found f : found) {
      EncryptedJdbcType jdbcType = f.converter().jdbcType();
      Column column = (Column) f.value().getColumn();
      long length = column.getLength() == null ? DEFAULT_LENGTH : column.getLength();
      int precision = column.getPrecision() == null ? defaultPrecision : column.getPrecision();
      int capacity = f.converter().codec().maxLength(length, precision);
      int width = jdbcType.form().width(capacity, settings.branchKeyId());
      jdbcType.attach(new EncryptedAttribute(f.entity().getJpaEntityName(), f.path(),
          context(f), f.value().getTable().getName(), column.getName(), capacity, width,
          settings.branchKeyId(), signedRoots.contains(f.entity().getRootClass())));
      column.setLength((long) width);
      column.setPrecision(null);
      column.setScale(null);
    }
    if (settings.rowSignature()) {
      RowFooterMappings.contribute(metadata, buildingContext, settings, found);
    } else if (!SignedMappings.scan(metadata.getEntityBindings()).isEmpty()) {
      LoggerFactory.getLogger(EncryptedMappingContributor.class).warn("rowseal: {}=false, so @Signed "
          + "attributes are not signed", RowsealSettings.ROW_SIGNATURE);
    }
  }

  private static String context(EncryptedMappings.Found f) {
    Encrypted encrypted = f.value().getMemberDetails() == null ? null
        : EncryptedConverterDescriptor.annotation(f.value().getMemberDetails());
    return encrypted != null && !encrypted.context().isBlank()
        ? encrypted.context()
        : f.entity().getJpaEntityName() + "." + f.path();
  }
}
