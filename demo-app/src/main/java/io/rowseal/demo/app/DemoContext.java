package io.rowseal.demo.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * Everything a step works with: the H2 file database behind a HikariCP pool, the key control of library
 * mode, and a JPA {@link EntityManagerFactory} over the mode's entities. Opened once per run, closed in
 * reverse order.
 */
final class DemoContext implements AutoCloseable {
  /** The database folder, relative to the working directory. */
  static final Path DATA_DIR = Path.of("demo-data");
  private static final String ENCRYPTED = "io.rowseal.Encrypted";

  final Console console;
  final boolean agent;
  final EntityModel model;
  final Path dataDir;
  final boolean newDatabase;
  final HikariDataSource dataSource;
  private final KeyControl keys;
  private final EntityManagerFactory entityManagers;

  private DemoContext(Console console, boolean agent, EntityModel model, Path dataDir, boolean newDatabase,
      HikariDataSource dataSource, KeyControl keys, EntityManagerFactory entityManagers) {
    this.console = console;
    this.agent = agent;
    this.model = model;
    this.dataDir = dataDir;
    this.newDatabase = newDatabase;
    this.dataSource = dataSource;
    this.keys = keys;
    this.entityManagers = entityManagers;
  }

  static DemoContext open(Console console, boolean agent) {
    // 1. The entities of the mode; in agent mode, check that the agent really annotated them.
    EntityModel model = agent ? EntityModel.plain() : EntityModel.annotated();
    if (agent) {
      requireAgentAnnotations(model);
    }
    // 2. The H2 file database, behind a HikariCP pool.
    Path dataDir = DATA_DIR.toAbsolutePath().normalize();
    Path dbFile = dataDir.resolve("customers.mv.db");
    boolean newDatabase = !Files.exists(dbFile);
    HikariDataSource dataSource = pool(dataDir);
    KeyControl keys = null;
    try {
      // 3. Library mode: the demo's own LocalKms and envelope. Agent mode: the agent builds them.
      keys = agent ? null : EngineKeys.open(dataSource);
      // 4. JPA: Hibernate creates or updates the schema; rowseal sizes the encrypted columns.
      Map<String, Object> settings = new HashMap<>();
      settings.put("hibernate.connection.datasource", dataSource);
      settings.put("hibernate.hbm2ddl.auto", "update");
      if (keys != null) {
        settings.putAll(keys.hibernateSettings());
      }
      HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("rowseal-demo")
          .managedClasses(model.classes());
      settings.forEach(config::property);
      EntityManagerFactory emf = config.createEntityManagerFactory();
      return new DemoContext(console, agent, model, dataDir, newDatabase, dataSource, keys, emf);
    } catch (RuntimeException e) {
      if (keys != null) {
        keys.close();
      }
      dataSource.close();
      throw e;
    }
  }

  private static HikariDataSource pool(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new DemoException("cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("rowseal-demo");
    config.setJdbcUrl("jdbc:h2:file:" + dataDir.resolve("customers"));
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(4);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      String summary = Failures.summary(e);
      throw new DemoException("cannot open the database in " + dataDir + ": " + summary
          + (summary.contains("locked") ? "; is another demo running?" : ""), e);
    }
  }

  /** Fails unless the agent added {@code @Encrypted} to the plain entities: the demo never writes plaintext. */
  private static void requireAgentAnnotations(EntityModel model) {
    List<String> annotated = encryptedFields(model);
    if (annotated.isEmpty()) {
      throw new DemoException("agent mode, but no field of " + model.packageName() + " carries @Encrypted: "
          + "give the rowseal agent the demo's configuration, -javaagent:<rowseal-agent jar>"
          + "=config=demo-app/agent.properties (see --help)");
    }
  }

  /** {@code Class#field} of every field of the model that carries {@code @Encrypted} at run time. */
  static List<String> encryptedFields(EntityModel model) {
    List<String> found = new ArrayList<>();
    for (Class<?> type : model.classes()) {
      for (Field f : type.getDeclaredFields()) {
        for (Annotation a : f.getAnnotations()) {
          if (a.annotationType().getName().equals(ENCRYPTED)) {
            found.add(type.getSimpleName() + "#" + f.getName());
          }
        }
      }
    }
    return found;
  }

  /** The key control of library mode; empty in agent mode. */
  Optional<KeyControl> keys() {
    return Optional.ofNullable(keys);
  }

  <T> T fromTransaction(Function<EntityManager, T> work) {
    return entityManagers.callInTransaction(work);
  }

  void inTransaction(Consumer<EntityManager> work) {
    entityManagers.runInTransaction(work);
  }

  /** Every customer, loaded through Hibernate in a fresh persistence context. */
  List<? extends CustomerRecord> customers() {
    // Criteria rather than HQL: the same query, without warming up Hibernate's HQL parser (a second
    // of a cold start).
    return fromTransaction(em -> {
      CriteriaBuilder cb = em.getCriteriaBuilder();
      CriteriaQuery<? extends CustomerRecord> q = cb.createQuery(model.customerClass());
      Root<? extends CustomerRecord> c = q.from(model.customerClass());
      return em.createQuery(q.orderBy(cb.asc(c.get("id")))).getResultList();
    });
  }

  /** One customer, loaded through Hibernate in a fresh persistence context. */
  CustomerRecord customer(long id) {
    return fromTransaction(em -> em.find(model.customerClass(), id));
  }

  long customerCount() {
    return fromTransaction(em -> {
      CriteriaBuilder cb = em.getCriteriaBuilder();
      CriteriaQuery<Long> q = cb.createQuery(Long.class);
      return em.createQuery(q.select(cb.count(q.from(model.customerClass())))).getSingleResult();
    });
  }

  @Override
  public void close() {
    try {
      entityManagers.close();
    } finally {
      try {
        if (keys != null) {
          keys.close();
        }
      } finally {
        dataSource.close();
      }
    }
  }
}
