package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import io.rowseal.kms.local.LocalKms;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * A session factory whose keys outlive its JVM, for the tests that kill one ({@link RowMigrationKillTest},
 * {@link RotationKillTest}, {@link TwoJvmRotationTest}): the embedded LocalKms with its keystore in a file
 * and its state in the database, the branch keys in the database, every table name suffixed so that runs
 * sharing a server never collide. {@link #open} makes the LocalKms itself and hands it to Hibernate, so
 * that the caller can rotate its keys; closing closes both.
 */
record DurableFactory(SessionFactory factory, LocalKms kms) implements AutoCloseable {
  static final String PASSPHRASE = "kill-test-passphrase";

  /** The settings: tables suffixed with {@code suffix}, LocalKms keys in {@code keystore}. */
  static Map<String, Object> settings(DataSource ds, String suffix, Path keystore, boolean createSchema) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.connection.datasource", ds);
    settings.put("hibernate.hbm2ddl.auto", createSchema ? "create" : "none");
    settings.put("hibernate.physical_naming_strategy", new Jpa.Suffixed(suffix));
    settings.put("rowseal.kms", "local");
    settings.put("rowseal.kms.local.keystore", keystore.toString());
    settings.put("rowseal.kms.local.passphrase", PASSPHRASE);
    settings.put("rowseal.kms.local.table-prefix", kmsTablePrefix(suffix));
    settings.put("rowseal.keystore.table", keyStoreTable(suffix));
    return settings;
  }

  static String kmsTablePrefix(String suffix) {
    return "rs_kms_" + suffix + "_";
  }

  static String keyStoreTable(String suffix) {
    return "rs_bk_" + suffix;
  }

  static SessionFactory boot(Map<String, Object> settings, Class<?>... entities) {
    Configuration config = new Configuration();
    for (Class<?> entity : entities) {
      config.addAnnotatedClass(entity);
    }
    config.getProperties().putAll(settings);
    return config.buildSessionFactory();
  }

  /** A factory on {@link #settings}, with JDBC batches of 50, and the LocalKms they name. */
  static DurableFactory open(DataSource ds, String suffix, Path keystore, boolean createSchema, Class<?>... entities) {
    Map<String, Object> settings = settings(ds, suffix, keystore, createSchema);
    settings.put("hibernate.jdbc.batch_size", 50);
    LocalKms kms = LocalKms.fromSettings(settings, ds);
    settings.put("rowseal.kms", kms);
    try {
      return new DurableFactory(boot(settings, entities), kms);
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  /** The factory's envelope (its entities must be signed, as by default). */
  Envelope envelope() {
    return RowSignatures.of(factory.unwrap(SessionFactoryImplementor.class)).envelope();
  }

  @Override
  public void close() {
    try {
      factory.close();
    } finally {
      kms.close();
    }
  }
}
