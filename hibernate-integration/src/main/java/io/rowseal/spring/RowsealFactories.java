package io.rowseal.spring;

import jakarta.persistence.EntityManagerFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The session factories of the context in which rowseal runs, by bean name, for the metrics and health
 * beans. Looked up when first asked (the registry binds, the first health check), after the entity manager
 * factories exist, never while the context is still building them.
 */
final class RowsealFactories {
  private static final Logger LOG = LoggerFactory.getLogger(RowsealFactories.class);

  private final ListableBeanFactory beans;

  RowsealFactories(ListableBeanFactory beans) {
    this.beans = beans;
  }

  /**
   * Each entity manager factory's session factory, by bean name, when {@code use} accepts it; {@code use} throws
   * {@link IllegalArgumentException} for a factory in which rowseal is not active (it maps no {@code @Encrypted}
   * attribute), which is then left out.
   */
  <T> Map<String, T> map(java.util.function.Function<SessionFactory, T> use) {
    Map<String, T> result = new LinkedHashMap<>();
    for (Map.Entry<String, EntityManagerFactory> e : beans.getBeansOfType(EntityManagerFactory.class).entrySet()) {
      try {
        result.put(e.getKey(), use.apply(e.getValue().unwrap(SessionFactory.class)));
      } catch (IllegalArgumentException | jakarta.persistence.PersistenceException notRowseal) {
        LOG.debug("rowseal is not active in entity manager factory {}: {}", e.getKey(), notRowseal.getMessage());
      }
    }
    return result;
  }
}
