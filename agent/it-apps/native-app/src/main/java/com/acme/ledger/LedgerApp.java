package com.acme.ledger;

import java.time.LocalDate;
import java.util.List;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;

/**
 * An application that bootstraps Hibernate natively, as Dropwizard does: a service registry, the
 * annotated classes listed in code, no {@code persistence.xml}, no JPA bootstrap. It knows nothing of
 * rowseal; the agent ITs run it from its jar and its dependency jars on a class path:
 *
 * <pre>
 * LedgerApp write JDBC_URL   stores one account, loads it back by id in a new session, prints it
 * LedgerApp read JDBC_URL    queries the accounts by holder and prints them
 * </pre>
 *
 * Each account read is printed as {@code READ holder=... iban=... openedOn=... status=...}; any failure
 * prints {@code FAILED} lines with the cause chain and exits with status 1.
 */
public final class LedgerApp {

  static final String HOLDER = "Bob Ledger";

  private LedgerApp() {}

  public static void main(String[] args) {
    try {
      if (args.length != 2) {
        throw new IllegalArgumentException("usage: LedgerApp write|read JDBC_URL");
      }
      run(args[0], args[1]);
    } catch (Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        System.out.println("FAILED " + t);
      }
      System.exit(1);
    }
  }

  private static void run(String mode, String url) {
    StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.connection.url", url)
        .applySetting("hibernate.connection.username", "sa")
        .applySetting("hibernate.connection.password", "")
        .applySetting("hibernate.hbm2ddl.auto", "update")
        .build();
    try (SessionFactory factory = new MetadataSources(registry).addAnnotatedClass(Account.class)
        .buildMetadata().buildSessionFactory()) {
      switch (mode) {
        case "write" -> {
          Long id;
          try (Session session = factory.openSession()) {
            Transaction tx = session.beginTransaction();
            Account account = new Account(HOLDER, "DE44500105175407324931", LocalDate.of(2019, 3, 1),
                AccountStatus.FROZEN);
            session.persist(account);
            tx.commit();
            id = account.getId();
          }
          System.out.println("WROTE id=" + id);
          try (Session session = factory.openSession()) {
            print(List.of(session.get(Account.class, id)));
          }
        }
        case "read" -> {
          try (Session session = factory.openSession()) {
            print(session.createQuery("from Account a where a.holder = :holder order by a.id", Account.class)
                .setParameter("holder", HOLDER).getResultList());
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }
  }

  private static void print(List<Account> read) {
    if (read.isEmpty()) {
      throw new IllegalStateException("no account of " + HOLDER);
    }
    read.forEach(account -> System.out.println("READ " + account));
  }
}
