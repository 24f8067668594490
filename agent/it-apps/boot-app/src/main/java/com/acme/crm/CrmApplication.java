package com.acme.crm;

import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that knows nothing of rowseal, packaged as its users ship it (an executable
 * jar built by spring-boot-maven-plugin). The agent ITs run it in a separate JVM:
 *
 * <pre>
 * java -jar crm.jar write --spring.datasource.url=URL   stores one customer, loads it back by id, prints it
 * java -jar crm.jar read --spring.datasource.url=URL    finds the customers by name and prints them
 * </pre>
 *
 * Each customer read is printed as {@code READ name=... email=... birthDate=... tier=...}; any failure
 * prints {@code FAILED} lines with the cause chain and exits with status 1.
 */
@SpringBootApplication
public class CrmApplication {

  static final String NAME = "Alice Tester";

  public static void main(String[] args) {
    try {
      System.exit(SpringApplication.exit(SpringApplication.run(CrmApplication.class, args)));
    } catch (Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        System.out.println("FAILED " + t);
      }
      System.exit(1);
    }
  }

  @Bean
  ApplicationRunner runner(CustomerRepository customers) {
    return arguments -> {
      switch (mode(arguments)) {
        case "write" -> {
          Customer saved = customers.save(new Customer(NAME, "alice.tester@example.org",
              LocalDate.of(1990, 5, 17), Tier.GOLD));
          System.out.println("WROTE id=" + saved.getId());
          // a new persistence context: the row comes back from the database, not from memory
          print(List.of(customers.findById(saved.getId()).orElseThrow()));
        }
        case "read" -> print(customers.findByNameOrderById(NAME));
        default -> throw new IllegalArgumentException("unknown mode " + mode(arguments));
      }
    };
  }

  private static String mode(ApplicationArguments arguments) {
    List<String> modes = arguments.getNonOptionArgs();
    if (modes.size() != 1) {
      throw new IllegalArgumentException("usage: write|read --spring.datasource.url=URL, got " + modes);
    }
    return modes.get(0);
  }

  private static void print(List<Customer> read) {
    if (read.isEmpty()) {
      throw new IllegalStateException("no customer named " + NAME);
    }
    read.forEach(customer -> System.out.println("READ " + customer));
  }
}
