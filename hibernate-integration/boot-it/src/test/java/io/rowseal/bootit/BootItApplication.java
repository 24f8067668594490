package io.rowseal.bootit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application as a user writes it: web, data JPA and Actuator starters, rowseal-hibernate
 * on the class path, configured only by {@code application.yml}. It names no rowseal class but
 * {@code @Encrypted}; it keeps an Actuator audit trail.
 */
@SpringBootApplication
public class BootItApplication {
  /** The application keeps an audit trail, as Actuator lets it: rowseal's events join it. */
  @Bean
  InMemoryAuditEventRepository auditEvents() {
    return new InMemoryAuditEventRepository();
  }

  public static void main(String[] args) {
    SpringApplication.run(BootItApplication.class, args);
  }
}
