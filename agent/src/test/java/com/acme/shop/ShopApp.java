package com.acme.shop;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.validation.ConstraintViolationException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * A stand-in for an application whose source and build cannot change: plain JPA on Hibernate and H2.
 * The agent ITs run it in a separate JVM and assert on its exit code and output.
 *
 * <pre>
 * ShopApp annotations                 prints the annotations each Customer field carries at run time
 * ShopApp store JDBC_URL [DDL_ACTION] stores one customer, reads it back, prints it
 * ShopApp read JDBC_URL               reads every customer (schema left alone)
 * ShopApp invalid JDBC_URL            tries to store a customer whose email Bean Validation rejects
 * ShopApp wait-then ARGS...           prints READY, waits for a line on stdin, then runs ARGS
 * ShopApp preload-then ARGS...        loads the Customer class, then runs ARGS
 * ShopApp started-then URL ARGS...    builds and closes an EntityManagerFactory, then runs ARGS
 * </pre>
 */
public final class ShopApp {

  private ShopApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ShopApp annotations | store URL [DDL] | read URL | wait-then ...");
    }
    switch (args[0]) {
      case "annotations" -> printAnnotations();
      case "store" -> store(args[1], args.length > 2 ? args[2] : "drop-and-create");
      case "read" -> read(args[1]);
      case "invalid" -> invalid(args[1]);
      case "wait-then" -> {
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        main(Arrays.copyOfRange(args, 1, args.length));
      }
      case "preload-then" -> {
        Class.forName("com.acme.shop.Customer");
        main(Arrays.copyOfRange(args, 1, args.length));
      }
      case "started-then" -> {
        factory(args[1], "drop-and-create").close();
        main(Arrays.copyOfRange(args, 2, args.length));
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.println("OK");
  }

  private static void printAnnotations() {
    for (Field field : Customer.class.getDeclaredFields()) {
      Annotation[] annotations = field.getDeclaredAnnotations();
      System.out.println("ANNOTATION Customer." + field.getName() + " "
          + (annotations.length == 0 ? "(none)" : Arrays.toString(annotations)));
    }
    System.out.println("LOADER " + Customer.class.getClassLoader());
  }

  private static void store(String url, String ddl) {
    try (EntityManagerFactory factory = factory(url, ddl)) {
      Long id;
      try (EntityManager em = factory.createEntityManager()) {
        em.getTransaction().begin();
        Customer alice = new Customer("Alice Example", "alice@example.com", LocalDate.of(1990, 5, 17),
            "prefers email");
        em.persist(alice);
        em.getTransaction().commit();
        id = alice.id();
      }
      try (EntityManager em = factory.createEntityManager()) {
        System.out.println("READ " + em.find(Customer.class, id));
        System.out.println("PROJECTION email=" + em.createQuery(
            "select c.email from Customer c where c.id = :id", String.class)
            .setParameter("id", id).getSingleResult());
      }
    }
  }

  private static void invalid(String url) {
    try (EntityManagerFactory factory = factory(url, "drop-and-create");
        EntityManager em = factory.createEntityManager()) {
      em.getTransaction().begin();
      try {
        em.persist(new Customer("Bob", "not-an-email", LocalDate.of(1985, 1, 2), null));
        em.flush();
        System.out.println("STORED invalid email");
      } catch (ConstraintViolationException e) {
        e.getConstraintViolations().forEach(violation -> System.out.println("VALIDATION "
            + violation.getPropertyPath() + " '" + violation.getInvalidValue() + "' " + violation.getMessage()));
      }
      em.getTransaction().rollback();
      System.out.println("ROWS " + em.createQuery("select count(c) from Customer c", Long.class).getSingleResult());
    }
  }

  private static void read(String url) {
    try (EntityManagerFactory factory = factory(url, "none");
        EntityManager em = factory.createEntityManager()) {
      em.createQuery("from Customer c order by c.id", Customer.class).getResultList()
          .forEach(customer -> System.out.println("READ " + customer));
    }
  }

  private static EntityManagerFactory factory(String url, String ddl) {
    return new PersistenceConfiguration("shop")
        .provider("org.hibernate.jpa.HibernatePersistenceProvider")
        .managedClass(Customer.class)
        .property(PersistenceConfiguration.JDBC_URL, url)
        .property(PersistenceConfiguration.JDBC_USER, "sa")
        .property(PersistenceConfiguration.JDBC_PASSWORD, "")
        .property(PersistenceConfiguration.SCHEMAGEN_DATABASE_ACTION, ddl)
        .createEntityManagerFactory();
  }
}
