package io.rowseal.spring;

import io.rowseal.audit.Audit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Forwards rowseal's audit events (key creation, rotation, destruction, integrity failures, LocalKms's requests;
 * docs/HIBERNATE.md, "Audit events") to the application's Actuator {@link AuditEventRepository}, as Spring
 * {@link AuditEvent}s with principal {@code rowseal}, type {@code rowseal-<event>} (e.g.
 * {@code rowseal-integrity-failure}) and rowseal's attributes as data: names of keys, entities and rows, never
 * values. Registered while the context runs; rowseal's listeners are per JVM, so a JVM with several contexts
 * forwards every context's events to each repository. Same types on Spring Boot 3.5 and 4.
 */
final class RowsealAuditForwarding implements DisposableBean {
  static final String PRINCIPAL = "rowseal";

  private final Audit.Registration registration;

  RowsealAuditForwarding(AuditEventRepository repository) {
    this.registration = Audit.register(event -> {
      Map<String, Object> data = new LinkedHashMap<>(event.attributes());
      repository.add(new AuditEvent(event.time(), PRINCIPAL, "rowseal-" + event.type(), data));
    });
  }

  @Override
  public void destroy() {
    registration.close();
  }
}
