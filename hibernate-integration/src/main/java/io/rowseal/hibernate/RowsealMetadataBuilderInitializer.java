package io.rowseal.hibernate;

import org.hibernate.boot.MetadataBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.spi.MetadataBuilderInitializer;

/**
 * Registers rowseal's auto-applied converter for {@code @Encrypted} attributes with every metadata
 * build. Found by Hibernate through {@link java.util.ServiceLoader}: having rowseal-hibernate on the
 * class path is enough.
 */
public final class RowsealMetadataBuilderInitializer implements MetadataBuilderInitializer {

  @Override
  public void contribute(MetadataBuilder metadataBuilder, StandardServiceRegistry serviceRegistry) {
    metadataBuilder.applyAttributeConverter(new EncryptedConverterDescriptor());
  }
}
