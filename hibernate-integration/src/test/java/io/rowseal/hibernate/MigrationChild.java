package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * The migration job as its own JVM, for {@link RowMigrationKillTest}: boots {@link OldCustomer} on a
 * database with the embedded LocalKms (state in that database, keystore in a file, so keys outlive the
 * JVM), runs the job and prints {@code progress <done>} after each batch. Arguments: JDBC URL, user,
 * table suffix, keystore file, batch size.
 */
public final class MigrationChild {
  private MigrationChild() {}

  public static void main(String[] args) {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(args[0]);
      pool.setUsername(args[1]);
      pool.setMaximumPoolSize(2);
      try (SessionFactory factory = boot(pool, args[2], Path.of(args[3]), false)) {
        MigrationReport report = RowMigration.of(factory, OldCustomer.class).checkpointTable("rs_mig_" + args[2])
            .batchSize(Integer.parseInt(args[4])).progress(p -> {
              System.out.println("progress " + p.done());
              System.out.flush();
            }).run();
        System.out.println("done " + report);
      }
    }
  }

  /** A session factory on {@code pool}: tables suffixed with {@code suffix}, LocalKms keys in its keystore. */
  static SessionFactory boot(HikariDataSource pool, String suffix, Path keystore, boolean createSchema) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.connection.datasource", pool);
    settings.put("hibernate.hbm2ddl.auto", createSchema ? "create" : "none");
    settings.put("hibernate.physical_naming_strategy", new Jpa.Suffixed(suffix));
    settings.put("rowseal.kms", "local");
    settings.put("rowseal.kms.local.keystore", keystore.toString());
    settings.put("rowseal.kms.local.passphrase", "kill-test-passphrase");
    settings.put("rowseal.kms.local.table-prefix", "rs_kms_" + suffix + "_");
    settings.put("rowseal.keystore.table", "rs_bk_" + suffix);
    settings.put("rowseal.transition.read-plaintext", "true");
    Configuration config = new Configuration().addAnnotatedClass(OldCustomer.class);
    config.getProperties().putAll(settings);
    return config.buildSessionFactory();
  }
}
