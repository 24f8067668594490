package io.rowseal.agent.hibernate;

import io.rowseal.agent.bootstrap.AgentException;
import io.rowseal.agent.bootstrap.AgentContext;
import io.rowseal.agent.bootstrap.RowsealBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Hands the {@code rowseal.*} settings of the agent's configuration file to Hibernate.
 *
 * <p>Hibernate discovers {@link ServiceContributor}s through its {@code ClassLoaderService} and calls
 * them from {@code StandardServiceRegistryBuilder.build()} before it copies the settings into the
 * registry's {@code ConfigurationService}; so the rowseal integration reads these settings exactly as
 * if they were in {@code persistence.xml} or {@code spring.jpa.properties}. Unlike a system-property
 * bridge, the values stay out of {@code System.getProperties()}, which management endpoints publish.
 *
 * <p>A key the application already sets (its own configuration or a {@code -D} system property, which
 * Hibernate merges into its settings) must carry the same value: two sources disagreeing on a security
 * setting fails the boot (RS-6207) rather than letting one silently win.
 */
public final class AgentSettingsContributor implements ServiceContributor {

  @Override
  public void contribute(StandardServiceRegistryBuilder serviceRegistryBuilder) {
    AgentContext agent = RowsealBridge.context();
    Map<String, Object> current = serviceRegistryBuilder.getSettings();
    List<String> conflicts = new ArrayList<>();
    for (Map.Entry<String, String> setting : agent.hibernateSettings().entrySet()) {
      Object existing = current.get(setting.getKey());
      if (existing != null && !Objects.equals(String.valueOf(existing).strip(), setting.getValue())) {
        conflicts.add(setting.getKey());
      }
    }
    if (!conflicts.isEmpty()) {
      throw new AgentException("RS-6207 the application's Hibernate settings and the agent configuration "
          + agent.configSource() + " set different values for " + String.join(", ", conflicts)
          + ": keep each rowseal.* setting in one place");
    }
    agent.hibernateSettings().forEach(serviceRegistryBuilder::applySetting);
  }
}
