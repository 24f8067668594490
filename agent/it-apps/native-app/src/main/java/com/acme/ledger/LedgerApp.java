package com.acme.ledger;

import java.time.LocalDate;
import java.util.Comparator;
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
 * LedgerApp seed JDBC_URL N  stores N accounts: {@link #seeded(int, int)}
 * LedgerApp search JDBC_URL i:IBAN... p:PREFIX...   runs the HQL queries below and prints their answers
 * </pre>
 *
 * Each account read is printed as {@code READ holder=... iban=... openedOn=... status=...}; each search
 * answer as {@code FOUND iban=x [holders]}, {@code FOUND exists iban=x true|false} and
 * {@code FOUND holder like x% [holders]}, holders in id order. Any failure prints {@code FAILED} lines with
 * the cause chain and exits with status 1.
 */
public final class LedgerApp {

  static final String HOLDER = "Bob Ledger";

  private LedgerApp() {}

  public static void main(String[] args) {
    try {
      if (args.length < 2 || (args.length != 2) != List.of("seed", "search").contains(args[0])) {
        throw new IllegalArgumentException("usage: LedgerApp write|read JDBC_URL, seed JDBC_URL N or "
            + "search JDBC_URL i:IBAN... p:PREFIX...");
      }
      run(args[0], args[1], List.of(args).subList(2, args.length));
    } catch (Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        System.out.println("FAILED " + t);
      }
      System.exit(1);
    }
  }

  private static void run(String mode, String url, List<String> parameters) {
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
        case "seed" -> {
          int count = Integer.parseInt(parameters.get(0));
          try (Session session = factory.openSession()) {
            Transaction tx = session.beginTransaction();
            for (int i = 0; i < count; i++) {
              session.persist(seeded(i, count));
            }
            tx.commit();
          }
          System.out.println("SEEDED " + count);
        }
        case "search" -> {
          try (Session session = factory.openSession()) {
            for (String query : parameters) {
              String value = query.substring(2);
              if (query.startsWith("i:")) {
                System.out.println("FOUND iban=" + value + " " + holders(session.createQuery(
                    "from Account a where a.iban = :iban", Account.class).setParameter("iban", value).getResultList()));
                System.out.println("FOUND exists iban=" + value + " " + !session.createQuery(
                    "select a.id from Account a where a.iban = :iban", Long.class).setParameter("iban", value)
                    .setMaxResults(1).getResultList().isEmpty());
              } else {
                // what a search form does with the user's text: % and _ stand for themselves
                String pattern = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                System.out.println("FOUND holder like " + value + "% " + holders(session.createQuery(
                    "from Account a where a.holder like :pattern escape '\\'", Account.class)
                    .setParameter("pattern", pattern).getResultList()));
              }
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }
  }

  /**
   * The {@code i}-th of {@code count} seeded accounts: holders with distinct two-letter beginnings
   * ({@code Aavis 0}, {@code Abvis 1}, ...), and last four holders with {@code _} and {@code %} in them;
   * IBAN {@code DE} and {@code i} in 20 digits; opened on 2000-01-01 plus {@code i} days, which tells the
   * rows apart.
   */
  static Account seeded(int i, int count) {
    List<String> special = List.of("O_Brien", "O_Connor", "OxBrien", "O%Hara");
    String holder = i >= count - special.size() ? special.get(i - (count - special.size()))
        : "" + (char) ('A' + i / 26 % 26) + (char) ('a' + i % 26) + "vis " + i;
    return new Account(holder, "DE%020d".formatted(i), LocalDate.of(2000, 1, 1).plusDays(i), AccountStatus.OPEN);
  }

  private static List<String> holders(List<Account> found) {
    return found.stream().sorted(Comparator.comparing(Account::getId)).map(Account::getHolder).toList();
  }

  private static void print(List<Account> read) {
    if (read.isEmpty()) {
      throw new IllegalStateException("no account of " + HOLDER);
    }
    read.forEach(account -> System.out.println("READ " + account));
  }
}
