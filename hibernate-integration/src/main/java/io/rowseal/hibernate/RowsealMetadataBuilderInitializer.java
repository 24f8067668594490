package io.rowseal.hibernate;

import org.hibernate.boot.MetadataBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.spi.MetadataBuilderInitializer;

/**
 * The first rowseal code Hibernate runs in a boot (found through {@link java.util.ServiceLoader} when a
 * metadata builder is created, before any class is bound): refuses an unsupported Hibernate ORM with
 * {@code RS-4020}, naming the version found and the versions supported, before anything is written.
 */
public final class RowsealMetadataBuilderInitializer implements MetadataBuilderInitializer {

  @Override
  public void contribute(MetadataBuilder metadataBuilder, StandardServiceRegistry serviceRegistry) {
    HibernateLine.check();
  }
}
