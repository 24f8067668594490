package io.rowseal.bootit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application as a user writes it: web, data JPA and Actuator starters, rowseal-hibernate
 * on the class path, configured only by {@code application.yml}. It names no rowseal class but
 * {@code @Encrypted}.
 */
@SpringBootApplication
public class BootItApplication {
  public static void main(String[] args) {
    SpringApplication.run(BootItApplication.class, args);
  }
}
