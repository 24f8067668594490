package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.envelope.Envelope;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;
import org.hibernate.cfg.Configuration;

/**
 * A session factory on one test database with rowseal in it: an in-memory KMS and key store, an
 * {@link Envelope} the test can read metrics from, statement and batch counters, and table names unique
 * to this factory (dropped when it closes).
 */
final class Jpa implements AutoCloseable {
  final TestDatabase db;
  final HikariDataSource pool;
  final JdbcCounter jdbc = new JdbcCounter();
  final SqlRecorder sql = new SqlRecorder();
  final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  final InMemoryBranchKeyStore keyStore = new InMemoryBranchKeyStore();
  final Envelope envelope;
  SessionFactory sessionFactory;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

  private Jpa(TestDatabase db) {
    this.db = db;
    this.pool = db.dataSource();
    this.envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(keyStore).build();
  }

  /** A database connection pool and an envelope, without a session factory yet: see {@link #boot}. */
  static Jpa prepare(TestDatabase db) {
    return new Jpa(db);
  }

  static Jpa start(TestDatabase db, Class<?>... classes) {
    return start(db, Map.of(), classes);
  }

  static Jpa start(TestDatabase db, Map<String, Object> extra, Class<?>... classes) {
    Jpa jpa = new Jpa(db);
    try {
      return jpa.boot(extra, classes);
    } catch (RuntimeException e) {
      jpa.close();
      throw e;
    }
  }

  /** Builds the session factory; {@code extra} settings override the test defaults, null removes one. */
  Jpa boot(Map<String, Object> extra, Class<?>... classes) {
    if (sessionFactory != null) {
      sessionFactory.close();
      sessionFactory = null;
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.connection.datasource", jdbc.wrap(pool));
    settings.put("hibernate.hbm2ddl.auto", "create-drop");
    settings.put("hibernate.physical_naming_strategy", new Suffixed(suffix));
    settings.put("hibernate.session_factory.statement_inspector", sql);
    settings.put("hibernate.jdbc.batch_size", 20);
    // hibernate-jcache is on the test class path; only the cache test turns the cache on.
    settings.put("hibernate.cache.use_second_level_cache", false);
    settings.put(RowsealSettings.ENVELOPE, envelope);
    settings.putAll(extra);
    settings.values().removeIf(v -> v == null || "".equals(v));
    // Hibernate's native bootstrap, as Dropwizard uses it: the one API every supported line has
    // (HibernatePersistenceConfiguration is 7.x only), so the same tests run on each line.
    Configuration config = new Configuration();
    for (Class<?> c : classes) {
      config.addAnnotatedClass(c);
    }
    config.getProperties().putAll(settings);
    this.sessionFactory = config.buildSessionFactory();
    return this;
  }

  /** The physical name of a table mapped as {@code logical}. */
  String table(String logical) {
    return logical + "_" + suffix;
  }

  <T> T fromTransaction(Function<Session, T> work) {
    return sessionFactory.fromTransaction(work);
  }

  void inTransaction(Consumer<Session> work) {
    sessionFactory.inTransaction(work);
  }

  /** Rows of a raw JDBC query, each column as the driver returns it (bytes for binary columns). */
  List<Map<String, Object>> raw(String query) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  int rawUpdate(String statement, Object... args) {
    try (Connection c = pool.getConnection();
        var ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (sessionFactory != null) {
        sessionFactory.close();
      }
    } finally {
      envelope.close();
      pool.close();
    }
  }

  /** Appends a suffix to every table and sequence name, so tests sharing a database never collide. */
  static final class Suffixed implements PhysicalNamingStrategy {
    private final String suffix;

    Suffixed(String suffix) {
      this.suffix = suffix;
    }

    @Override
    public Identifier toPhysicalCatalogName(Identifier name, JdbcEnvironment env) {
      return name;
    }

    @Override
    public Identifier toPhysicalSchemaName(Identifier name, JdbcEnvironment env) {
      return name;
    }

    @Override
    public Identifier toPhysicalTableName(Identifier name, JdbcEnvironment env) {
      return Identifier.toIdentifier(name.getText() + "_" + suffix, name.isQuoted());
    }

    @Override
    public Identifier toPhysicalSequenceName(Identifier name, JdbcEnvironment env) {
      return toPhysicalTableName(name, env);
    }

    @Override
    public Identifier toPhysicalColumnName(Identifier name, JdbcEnvironment env) {
      return name;
    }
  }
}
