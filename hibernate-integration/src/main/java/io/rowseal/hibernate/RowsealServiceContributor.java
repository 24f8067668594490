package io.rowseal.hibernate;

import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.service.spi.ServiceContributor;
import org.slf4j.LoggerFactory;

/**
 * Installs rowseal's query translation ({@link SearchTranslatorFactory}), which answers searches on
 * {@code @Searchable} attributes and refuses other conditions on encrypted columns, unless the application
 * set a translator of its own. Found through {@link java.util.ServiceLoader}.
 */
public final class RowsealServiceContributor implements ServiceContributor {
  /** Hibernate's {@code AvailableSettings.SEMANTIC_QUERY_TRANSLATOR}. */
  static final String TRANSLATOR = "hibernate.query.sqm.translator";

  @Override
  public void contribute(StandardServiceRegistryBuilder builder) {
    Object own = builder.getSettings().get(TRANSLATOR);
    if (own == null || own.toString().isBlank()) {
      builder.applySetting(TRANSLATOR, SearchTranslatorFactory.class.getName());
    } else if (!own.toString().equals(SearchTranslatorFactory.class.getName())) {
      LoggerFactory.getLogger(RowsealServiceContributor.class).warn("rowseal: {} is set to {}, so rowseal does "
          + "not rewrite queries: searches on @Searchable attributes will fail (extend {} to combine both)",
          TRANSLATOR, own, SearchTranslatorFactory.class.getName());
    }
  }
}
