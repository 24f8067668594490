package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import java.util.List;
import java.util.Properties;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;

/**
 * The macro workload, shared by {@link HibernateBenchmark} and the pre-flight check: Hibernate ORM with
 * HikariCP, persist N entities in one transaction (JDBC batches of 50), clear, read them all back.
 */
public final class Macro {
  public static final int ROWS = 10_000;
  public static final int BATCH = 50;

  private Macro() {}

  /**
   * A session factory on {@code db} for both entities, tables dropped and created, rowseal with its
   * defaults except an in-memory KMS and a branch-key table of its own. Every system property starting
   * with {@code rowseal.} is passed on as a Hibernate setting and overrides these.
   */
  public static SessionFactory sessionFactory(Database db) {
    return sessionFactory(db, java.util.Map.of());
  }

  /** The same, with {@code extra} Hibernate or {@code rowseal.*} settings (values may be instances). */
  public static SessionFactory sessionFactory(Database db, java.util.Map<String, Object> extra) {
    return sessionFactory(db, extra, List.of(PlainCustomer.class, SealedCustomer.class, WideCustomer.class,
        FloorCustomer.class, IdentityPlainCustomer.class, IdentitySealedCustomer.class));
  }

  /** The same on {@code entities} (the other workloads' own tables). */
  public static SessionFactory sessionFactory(Database db, java.util.Map<String, Object> extra,
      List<Class<?>> entities) {
    dropKeyStore(db);
    Properties s = new Properties();
    s.setProperty("hibernate.connection.provider_class",
        "org.hibernate.hikaricp.internal.HikariCPConnectionProvider");
    s.setProperty("hibernate.connection.url", db.url());
    s.setProperty("hibernate.connection.username", db.user());
    s.setProperty("hibernate.connection.password", db.password());
    s.setProperty("hibernate.hikari.maximumPoolSize", "2");
    s.setProperty("hibernate.hikari.minimumIdle", "1");
    s.setProperty("hibernate.hbm2ddl.auto", "create-drop");
    s.setProperty("hibernate.jdbc.batch_size", Integer.toString(BATCH));
    s.setProperty("hibernate.order_inserts", "true");
    s.setProperty("hibernate.show_sql", "false");
    s.setProperty("hibernate.generate_statistics", "false");
    // The per-row cost does not depend on where the CMK lives (the branch key is cached), and an
    // in-memory KMS and a table of our own keep the benchmark off the shared database's real key state.
    s.setProperty("rowseal.kms", "in-memory");
    s.setProperty("rowseal.keystore.table", "rsbench_branch_keys");
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("rowseal.")) {
        s.setProperty(name, System.getProperty(name));
      }
    }
    Configuration cfg = new Configuration();
    entities.forEach(cfg::addAnnotatedClass);
    cfg.addProperties(s);
    cfg.getProperties().putAll(extra);
    return cfg.buildSessionFactory();
  }

  /**
   * The in-memory KMS dies with each fork, so branch keys a previous run left in a persistent database
   * name CMKs that no longer exist (RS-2001): start every run from an empty key store.
   */
  private static void dropKeyStore(Database db) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", db.user());
    p.setProperty("password", db.password());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), p);
        java.sql.Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS rsbench_branch_keys_head");
      st.execute("DROP TABLE IF EXISTS rsbench_branch_keys");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot reset the benchmark's key store on " + db.id() + ": "
          + e.getMessage(), e);
    }
  }

  /** Deletes every row of the four tables (native SQL: bulk HQL on signed rows is refused, RS-4402). */
  public static void clear(SessionFactory sf) {
    sf.inTransaction(session -> {
      session.createNativeMutationQuery("delete from rsbench_plain").executeUpdate();
      session.createNativeMutationQuery("delete from rsbench_sealed").executeUpdate();
      session.createNativeMutationQuery("delete from rsbench_wide").executeUpdate();
      session.createNativeMutationQuery("delete from rsbench_floor").executeUpdate();
    });
  }

  /**
   * Persists one entity per row in one transaction, flushing and clearing every {@link #BATCH}, then
   * reads them all back in the same session after a clear; returns a checksum of what was read.
   *
   * @param entity {@code plaintext} ({@link PlainCustomer}), {@code encrypted} ({@link SealedCustomer}),
   *     {@code wide} ({@link WideCustomer}, whose columns {@code wide} holds per row) or {@code floor}
   *     ({@link FloorCustomer}: the floor's AES-GCM in a converter)
   */
  public static long persistAndReadBack(SessionFactory sf, Row[] rows, byte[][][] wide, String entity) {
    Class<?> type = switch (entity) {
      case "plaintext" -> PlainCustomer.class;
      case "encrypted" -> SealedCustomer.class;
      case "wide" -> WideCustomer.class;
      case "floor" -> FloorCustomer.class;
      default -> throw new IllegalArgumentException("entity must be plaintext, encrypted, wide or floor: "
          + entity);
    };
    try (Session session = sf.openSession()) {
      Transaction tx = session.beginTransaction();
      for (int i = 0; i < rows.length; i++) {
        Row r = rows[i];
        session.persist(switch (entity) {
          case "plaintext" -> new PlainCustomer(r.code(), r.email(), r.address());
          case "encrypted" -> new SealedCustomer(r.code(), r.email(), r.address());
          case "floor" -> new FloorCustomer(r.code(), r.email(), r.address());
          default -> WideCustomer.of(wide[i]);
        });
        if ((i + 1) % BATCH == 0) {
          session.flush();
          session.clear();
        }
      }
      tx.commit();
      session.clear();
      List<?> all = session.createSelectionQuery("from " + type.getSimpleName(), type).getResultList();
      if (all.size() != rows.length) {
        throw new IllegalStateException("read back " + all.size() + " rows, wrote " + rows.length);
      }
      long sum = 0;
      for (Object o : all) {
        sum += o instanceof Customer c
            ? c.getCode().length() + c.getEmail().length() + c.getAddress().length()
            : ((WideCustomer) o).width();
      }
      return sum;
    }
  }

  /**
   * Whether the rowseal integration encrypts {@link SealedCustomer}'s columns: writes one entity and
   * reads its stored column back by native SQL. False means the values went to the database as
   * plaintext, i.e. the integration is not on the class path (or not wired in).
   */
  public static boolean integrationActive(SessionFactory sf) {
    Row row = Row.random(1, 99)[0];
    sf.inTransaction(session -> session.persist(new SealedCustomer(row.code(), row.email(), row.address())));
    Object stored = sf.fromTransaction(session -> session
        .createNativeQuery("select email from rsbench_sealed", Object.class).getResultList().get(0));
    clear(sf);
    String asText = stored instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(stored);
    return !asText.contains(row.email());
  }
}
