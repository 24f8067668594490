package com.acme.crm;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
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
 * java -jar crm.jar seed N --spring.datasource.url=URL  stores N customers: {@link #seeded(int, int)}
 * java -jar crm.jar search e:EMAIL... p:PREFIX...      runs the derived queries below and prints their answers
 * </pre>
 *
 * Each customer read is printed as {@code READ name=... email=... birthDate=... tier=...}; each search
 * answer as {@code FOUND findByEmail(x)=[names]}, {@code FOUND existsByEmail(x)=true|false} and
 * {@code FOUND findByNameStartingWith(x)=[names]}, names in id order. Any failure prints {@code FAILED}
 * lines with the cause chain and exits with status 1.
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
        case "seed" -> {
          int count = Integer.parseInt(arguments.getNonOptionArgs().get(1));
          List<Customer> seeded = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            seeded.add(seeded(i, count));
          }
          customers.saveAll(seeded);
          System.out.println("SEEDED " + count);
        }
        case "search" -> {
          for (String query : arguments.getNonOptionArgs().subList(1, arguments.getNonOptionArgs().size())) {
            String value = query.substring(2);
            if (query.startsWith("e:")) {
              System.out.println("FOUND findByEmail(" + value + ")=" + names(customers.findByEmail(value)));
              System.out.println("FOUND existsByEmail(" + value + ")=" + customers.existsByEmail(value));
            } else {
              System.out.println("FOUND findByNameStartingWith(" + value + ")="
                  + names(customers.findByNameStartingWith(value)));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode(arguments));
      }
    };
  }

  private static String mode(ApplicationArguments arguments) {
    List<String> modes = arguments.getNonOptionArgs();
    if (modes.isEmpty() || (modes.size() != 1) != List.of("seed", "search").contains(modes.get(0))) {
      throw new IllegalArgumentException("usage: write|read|seed N|search e:EMAIL... p:PREFIX... "
          + "--spring.datasource.url=URL, got " + modes);
    }
    return modes.get(0);
  }

  /**
   * The {@code i}-th of {@code count} seeded customers: names with distinct two-letter beginnings
   * ({@code Aavis 0}, {@code Abvis 1}, ...), and last four names with {@code _} and {@code %} in them;
   * email {@code c<i>@example.org}; birth date 2000-01-01 plus {@code i} days, which tells the rows apart.
   */
  static Customer seeded(int i, int count) {
    List<String> special = List.of("O_Brien", "O_Connor", "OxBrien", "O%Hara");
    String name = i >= count - special.size() ? special.get(i - (count - special.size()))
        : "" + (char) ('A' + i / 26 % 26) + (char) ('a' + i % 26) + "vis " + i;
    return new Customer(name, "c" + i + "@example.org", LocalDate.of(2000, 1, 1).plusDays(i), Tier.SILVER);
  }

  private static List<String> names(List<Customer> found) {
    return found.stream().sorted(Comparator.comparing(Customer::getId)).map(Customer::getName).toList();
  }

  private static void print(List<Customer> read) {
    if (read.isEmpty()) {
      throw new IllegalStateException("no customer named " + NAME);
    }
    read.forEach(customer -> System.out.println("READ " + customer));
  }
}
