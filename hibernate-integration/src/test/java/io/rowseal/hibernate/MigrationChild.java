package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Map;
import org.hibernate.SessionFactory;

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
    Map<String, Object> settings = DurableFactory.settings(pool, suffix, keystore, createSchema);
    settings.put("rowseal.transition.read-plaintext", "true");
    return DurableFactory.boot(settings, OldCustomer.class);
  }
}
