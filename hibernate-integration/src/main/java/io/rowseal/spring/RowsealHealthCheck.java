package io.rowseal.spring;

import io.rowseal.hibernate.RowsealHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code rowseal} Actuator health indicator reports, whichever Spring Boot line draws it:
 * {@link RowsealHealth} of the context's session factory (of each, by bean name, when there are several),
 * its status code and details.
 *
 * <p>{@code DEGRADED} (the KMS does not answer, the cached branch key keeps the application working) is
 * reported as a status of its own, {@code DEGRADED}: the {@code rowseal} component shows it and an alert can
 * watch it, while Spring Boot's default status order, which does not list it, leaves the aggregate status and
 * the HTTP status of {@code /actuator/health} as the other components make them. Restarting or pulling
 * instances out of a load balancer would not bring a KMS back; an operator who wants the aggregate to show it
 * adds {@code degraded} to {@code management.endpoint.health.status.order} (docs/SPRING-BOOT.md). Thread-safe.
 */
final class RowsealHealthCheck {
  static final String DEGRADED = "DEGRADED";

  /** One answer: a Spring Boot status code and the details. */
  record Answer(String status, Map<String, Object> details) {}

  private final RowsealFactories factories;
  private volatile Map<String, RowsealHealth> checks;

  RowsealHealthCheck(RowsealFactories factories) {
    this.factories = factories;
  }

  Answer check() {
    Map<String, RowsealHealth> all = checks;
    if (all == null) {
      all = factories.map(RowsealHealth::of);
      checks = all;
    }
    if (all.isEmpty()) {
      return new Answer("UNKNOWN", Map.of("reason", "rowseal is active in no entity manager factory (no @Encrypted attribute)"));
    }
    if (all.size() == 1) {
      RowsealHealth.Report r = all.values().iterator().next().check();
      return new Answer(code(r.status()), r.details());
    }
    RowsealHealth.Status worst = RowsealHealth.Status.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, RowsealHealth> e : all.entrySet()) {
      RowsealHealth.Report r = e.getValue().check();
      if (gaugeValue(r.status()) > gaugeValue(worst)) {
        worst = r.status();
      }
      Map<String, Object> one = new LinkedHashMap<>(r.details());
      one.put("status", code(r.status()));
      details.put(e.getKey(), one);
    }
    return new Answer(code(worst), details);
  }

  /** The value of the {@code rowseal.health.status} gauge: 0 UP, 1 DEGRADED, 2 DOWN (docs/SPRING-BOOT.md). */
  static int gaugeValue(RowsealHealth.Status status) {
    return switch (status) {
      case UP -> 0;
      case DEGRADED -> 1;
      case DOWN -> 2;
    };
  }

  private static String code(RowsealHealth.Status status) {
    return status == RowsealHealth.Status.DEGRADED ? DEGRADED : status.name();
  }
}
