package io.rowseal.benchmarks.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shop of the whole-application benchmark (benchmarks/README.md, "Whole application"): a Spring Boot
 * web application with Spring Data JPA on PostgreSQL, as users write them. Its code names no rowseal class:
 * the three variants differ only in {@link Customer}'s annotations and in what is on the class path (or on
 * the command line, for the agent), so that they run the very same code path.
 */
@SpringBootApplication
public class ShopApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
