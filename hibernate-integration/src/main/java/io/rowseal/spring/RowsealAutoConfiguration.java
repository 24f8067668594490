package io.rowseal.spring;

import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.kms.CmkProvider;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Boot auto-configuration of rowseal (docs/SPRING-BOOT.md): the {@code rowseal.*} properties
 * ({@link RowsealProperties}) and a {@link CmkProvider}, {@code BranchKeyStore} or {@code Envelope} bean
 * of the context become Hibernate settings, through a {@code HibernatePropertiesCustomizer}, before
 * Spring Boot's Hibernate JPA auto-configuration builds the entity manager factory.
 *
 * <p>One jar serves Spring Boot 3.5 and 4.x. What differs between them is small and kept apart: the
 * customizer interface (Boot 3.5: {@code org.springframework.boot.autoconfigure.orm.jpa}, Boot 4:
 * {@code org.springframework.boot.hibernate.autoconfigure}), each declared by a nested configuration
 * that loads only when its line's interface is on the class path, and the ordering, by name against
 * each line's {@code HibernateJpaAutoConfiguration}. Where a Boot 4 type is present the Boot 4 configuration
 * wins, so the two never both apply. The health indicator and the meters follow the same pattern.
 */
@AutoConfiguration(beforeName = {RowsealAutoConfiguration.BOOT_3_JPA, RowsealAutoConfiguration.BOOT_4_JPA})
@ConditionalOnClass(name = "org.hibernate.SessionFactory")
public class RowsealAutoConfiguration {
  static final String BOOT_3_JPA = "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration";
  static final String BOOT_4_JPA = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration";

  @Bean
  BootSettings rowsealBootSettings(Environment environment, ObjectProvider<CmkProvider> cmkProvider,
      ObjectProvider<BranchKeyStore> keyStore, ObjectProvider<Envelope> envelope,
      ObjectProvider<RowsealTestContext> testContext) {
    return new BootSettings(environment, cmkProvider, keyStore, envelope, testContext.getIfAvailable() != null);
  }

  @Bean
  RowsealFactories rowsealFactories(ListableBeanFactory beans) {
    return new RowsealFactories(beans);
  }

  /**
   * rowseal's counters in the application's {@code MeterRegistry} (docs/OBSERVABILITY.md) when Micrometer is
   * there (Actuator brings it); tagged {@code entityManagerFactory} with the bean name when the context has
   * several.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Metrics {
    static final String HEALTH_GAUGE = "rowseal.health.status";

    @Bean
    io.micrometer.core.instrument.binder.MeterBinder rowsealMeterBinder(RowsealFactories factories) {
      return registry -> {
        java.util.Map<String, io.rowseal.hibernate.RowsealMetrics> all =
            factories.map(io.rowseal.hibernate.RowsealMetrics::of);
        all.forEach((name, metrics) -> new io.rowseal.micrometer.RowsealMeterBinder(metrics, tags(all.size(), name))
            .bindTo(registry));
        // the health check's status as a number an alert rule can watch: 0 UP, 1 DEGRADED, 2 DOWN
        java.util.Map<String, io.rowseal.hibernate.RowsealHealth> health =
            factories.map(io.rowseal.hibernate.RowsealHealth::of);
        health.forEach((name, check) -> io.micrometer.core.instrument.Gauge.builder(HEALTH_GAUGE, check,
                c -> RowsealHealthCheck.gaugeValue(c.check().status()))
            .description("rowseal's health: 0 UP, 1 DEGRADED (KMS unreachable, cached branch key in use), 2 DOWN")
            .tags(tags(health.size(), name)).strongReference(true).register(registry));
      };
    }

    private static io.micrometer.core.instrument.Tags tags(int factories, String name) {
      return factories == 1 ? io.micrometer.core.instrument.Tags.empty()
          : io.micrometer.core.instrument.Tags.of("entityManagerFactory", name);
    }
  }

  /** The {@code rowseal} health indicator, Spring Boot 3.5 ({@link RowsealHealthCheck}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(name = "management.health.rowseal.enabled", matchIfMissing = true)
  static class Boot3Health {
    @Bean
    org.springframework.boot.actuate.health.HealthIndicator rowsealHealthIndicator(RowsealFactories factories) {
      RowsealHealthCheck check = new RowsealHealthCheck(factories);
      return () -> {
        RowsealHealthCheck.Answer a = check.check();
        return org.springframework.boot.actuate.health.Health.status(a.status()).withDetails(a.details()).build();
      };
    }
  }

  /** The {@code rowseal} health indicator, Spring Boot 4 ({@link RowsealHealthCheck}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(name = "management.health.rowseal.enabled", matchIfMissing = true)
  static class Boot4Health {
    @Bean
    org.springframework.boot.health.contributor.HealthIndicator rowsealHealthIndicator(RowsealFactories factories) {
      RowsealHealthCheck check = new RowsealHealthCheck(factories);
      return () -> {
        RowsealHealthCheck.Answer a = check.check();
        return org.springframework.boot.health.contributor.Health.status(a.status()).withDetails(a.details()).build();
      };
    }
  }

  /**
   * rowseal's audit events in the application's Actuator {@code AuditEventRepository}, when it defines one
   * ({@link RowsealAuditForwarding}); the same types on Spring Boot 3.5 and 4.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.audit.AuditEventRepository")
  static class SpringAudit {
    @Bean
    @ConditionalOnBean(type = "org.springframework.boot.actuate.audit.AuditEventRepository")
    RowsealAuditForwarding rowsealAuditForwarding(org.springframework.boot.actuate.audit.AuditEventRepository repository) {
      return new RowsealAuditForwarding(repository);
    }
  }

  /** Spring Boot 3.5 (Hibernate ORM 6.6). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer")
  @ConditionalOnMissingClass("org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer")
  static class Boot3 {
    @Bean
    org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer rowsealHibernatePropertiesCustomizer(
        BootSettings settings) {
      return settings::customize;
    }
  }

  /** Spring Boot 4.x (Hibernate ORM 7.x). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer")
  static class Boot4 {
    @Bean
    org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer rowsealHibernatePropertiesCustomizer(
        BootSettings settings) {
      return settings::customize;
    }
  }
}
