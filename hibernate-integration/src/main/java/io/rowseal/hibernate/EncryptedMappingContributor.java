package io.rowseal.hibernate;

import java.util.List;
import java.util.Set;
import org.hibernate.boot.ResourceStreamLocator;
import org.hibernate.boot.spi.AdditionalMappingContributions;
import org.hibernate.boot.spi.AdditionalMappingContributor;
import org.hibernate.boot.spi.InFlightMetadataCollector;
import org.hibernate.boot.spi.MetadataBuildingContext;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.mapping.PersistentClass;
import org.slf4j.LoggerFactory;

/**
 * Completes the boot model once Hibernate has bound and resolved every class: checks where
 * {@code @Encrypted} was placed ({@link EncryptedMappings}), binds each encrypted attribute under
 * rowseal's JDBC type with its logical name and a column sized for the stored value
 * ({@link EncryptedBinding}), and adds the row footer column to each entity hierarchy with encrypted
 * attributes ({@link RowFooterMappings}). Runs for every metadata build, also a schema export without a
 * session factory. Found through {@link java.util.ServiceLoader}.
 */
public final class EncryptedMappingContributor implements AdditionalMappingContributor {

  @Override
  public String getContributorName() {
    return "rowseal";
  }

  @Override
  public void contribute(AdditionalMappingContributions contributions, InFlightMetadataCollector metadata,
      ResourceStreamLocator resourceStreamLocator, MetadataBuildingContext buildingContext) {
    HibernateLine.check();
    RowsealSettings settings = RowsealSettings.from(buildingContext.getBootstrapContext()
        .getServiceRegistry().requireService(ConfigurationService.class).getSettings());
    var dialect = metadata.getDatabase().getDialect();
    var ddl = metadata.getTypeConfiguration().getDdlTypeRegistry();
    List<EncryptedMappings.Found> found = EncryptedMappings.scan(metadata.getEntityBindings());
    Set<PersistentClass> signedRoots = settings.rowSignature() ? RowFooterMappings.roots(found) : Set.of();
    for (EncryptedMappings.Found f : found) {
      EncryptedBinding.bind(f, settings, dialect, ddl, signedRoots.contains(f.entity().getRootClass()));
    }
    SearchMappings.contribute(metadata, buildingContext, found);
    if (settings.rowSignature()) {
      RowFooterMappings.contribute(metadata, buildingContext, settings, found);
    } else if (!SignedMappings.scan(metadata.getEntityBindings()).isEmpty()) {
      LoggerFactory.getLogger(EncryptedMappingContributor.class).warn("rowseal: {}=false, so @Signed "
          + "attributes are not signed", RowsealSettings.ROW_SIGNATURE);
    }
  }
}
