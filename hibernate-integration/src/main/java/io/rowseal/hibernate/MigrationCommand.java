package io.rowseal.hibernate;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * {@link RowMigration} from the command line, with the application's entities and JDBC driver on the
 * class path:
 *
 * <pre>
 * java -cp app.jar:rowseal-hibernate.jar:hibernate-core.jar:... io.rowseal.hibernate.MigrationCommand \
 *     --url jdbc:postgresql://db/shop --user shop --password-env SHOP_DB_PASSWORD \
 *     --config rowseal.properties --batch-size 500 --max-rows-per-second 2000 com.acme.Customer com.acme.Order
 * </pre>
 *
 * {@code --config} is a properties file of Hibernate and {@code rowseal.*} settings — the application's
 * own (KMS, key store, branch-key id): the job must encrypt exactly as the application does. Options:
 * {@code --reencrypt active|below:<version>|cmk:<id>|none}, {@code --checkpoint-table <name>},
 * {@code --rotate-branch-key <key id>} and {@code --rotate-index-key <key id>} (rotate before the job runs,
 * which then moves the rows onto the new version; the index-key rotation refuses, {@code RS-4508}, while
 * rows are still indexed under a version older than the active one), {@code --reindex needed|all}
 * ({@link RowMigration#reindexAll}). Shows a progress bar on a terminal, plain lines otherwise; then each entity's report. Exit status 0 when every
 * row was done, 2 when some rows could not be read (listed), 1 on an error ({@code RS-4506}: usage).
 */
public final class MigrationCommand {
  private MigrationCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.console() != null));
  }

  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("RS-4506: " + e.getMessage());
      err.println("usage: MigrationCommand --url <jdbc-url> [--user <u>] [--password-env <VAR>] [--config <file>] "
          + "[--batch-size <n>] [--max-rows-per-second <n>] [--reencrypt active|below:<version>|cmk:<id>|none] "
          + "[--checkpoint-table <name>] [--rotate-branch-key <key id>] [--rotate-index-key <key id>] "
          + "[--reindex needed|all] <entity class>...");
      return 1;
    }
    int status = 0;
    try (SessionFactory factory = a.boot()) {
      if (a.rotateBranchKey != null) {
        out.println("rotated branch key " + a.rotateBranchKey + ": new rows now go under "
            + RowsealKeys.rotateBranchKey(factory, a.rotateBranchKey));
      }
      if (a.rotateIndexKey != null) {
        out.println("rotated the index key of " + a.rotateIndexKey + ": new rows are now indexed under "
            + RowsealKeys.rotateIndexKey(factory, a.rotateIndexKey));
      }
      for (Class<?> entity : a.entities) {
        ProgressPrinter printer = new ProgressPrinter(out, terminal, entity.getSimpleName(), Duration.ofSeconds(10),
            System::nanoTime);
        RowMigration job = a.configure(RowMigration.of(factory, entity)).progress(printer);
        MigrationReport report;
        try {
          report = job.run();
        } finally {
          printer.finish();
        }
        out.printf("%s: %,d rows examined, %,d rewritten, %,d skipped (%,d already current, %,d changed "
            + "concurrently), %,d could not be read, in %s%n", report.entity(), report.examined(), report.rewritten(),
            report.skipped(), report.alreadyCurrent(), report.changedConcurrently(), report.failedIds().size(),
            report.elapsed());
        if (!report.failedIds().isEmpty()) {
          out.println(report.entity() + ": RS-4504: rows that could not be read (ids): "
              + String.join(", ", report.failedIds()));
          status = 2;
        }
      }
    } catch (RuntimeException e) {
      err.println(e.getMessage());
      return 1;
    }
    return status;
  }

  /** The parsed command line. */
  static final class Arguments {
    final Properties settings = new Properties();
    final List<Class<?>> entities = new ArrayList<>();
    Integer batchSize;
    Double maxRowsPerSecond;
    String reencrypt = "active";
    String checkpointTable;
    String rotateBranchKey;
    String rotateIndexKey;
    boolean reindexAll;

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          a.entities.add(load(arg));
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        String value = args[++i];
        switch (arg) {
          case "--url" -> a.settings.setProperty("hibernate.connection.url", value);
          case "--user" -> a.settings.setProperty("hibernate.connection.username", value);
          case "--password-env" -> {
            String password = System.getenv(value);
            if (password == null) {
              throw new IllegalArgumentException("environment variable " + value + " is not set");
            }
            a.settings.setProperty("hibernate.connection.password", password);
          }
          case "--config" -> a.config(Path.of(value));
          case "--batch-size" -> a.batchSize = number(arg, value).intValue();
          case "--max-rows-per-second" -> a.maxRowsPerSecond = number(arg, value);
          case "--reencrypt" -> a.reencrypt = value;
          case "--checkpoint-table" -> a.checkpointTable = value;
          case "--rotate-branch-key" -> a.rotateBranchKey = value;
          case "--rotate-index-key" -> a.rotateIndexKey = value;
          case "--reindex" -> {
            if (!value.equals("all") && !value.equals("needed")) {
              throw new IllegalArgumentException("--reindex must be needed or all, was " + value);
            }
            a.reindexAll = value.equals("all");
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (a.entities.isEmpty()) {
        throw new IllegalArgumentException("no entity class given");
      }
      if (a.settings.getProperty("hibernate.connection.url") == null
          && a.settings.getProperty("jakarta.persistence.jdbc.url") == null) {
        throw new IllegalArgumentException("no --url given (nor a JDBC URL in --config)");
      }
      a.configure(null);
      return a;
    }

    /** Applies the options to {@code job}; with {@code null}, only checks them. */
    RowMigration configure(RowMigration job) {
      if (!reencrypt.matches("active|none|below:[0-9]{1,9}|cmk:.+")) {
        throw new IllegalArgumentException("--reencrypt must be active, none, below:<version> or cmk:<id>, was "
            + reencrypt);
      }
      if (job == null) {
        return null;
      }
      if (batchSize != null) {
        job.batchSize(batchSize);
      }
      if (maxRowsPerSecond != null) {
        job.maxRowsPerSecond(maxRowsPerSecond);
      }
      if (checkpointTable != null) {
        job.checkpointTable(checkpointTable);
      }
      if (reindexAll) {
        job.reindexAll();
      }
      if (reencrypt.equals("none")) {
        job.reencryptNothing();
      } else if (reencrypt.startsWith("below:")) {
        job.reencryptBelowVersion(Integer.parseInt(reencrypt.substring(6)));
      } else if (reencrypt.startsWith("cmk:")) {
        job.reencryptUnderCmk(reencrypt.substring(4));
      }
      return job;
    }

    SessionFactory boot() {
      Configuration config = new Configuration();
      entities.forEach(config::addAnnotatedClass);
      config.getProperties().putAll(settings);
      config.getProperties().putIfAbsent("hibernate.hbm2ddl.auto", "none");
      return config.buildSessionFactory();
    }

    private void config(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        Properties p = new Properties();
        p.load(in);
        p.forEach(settings::putIfAbsent);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage());
      }
    }

    private static Double number(String option, String value) {
      try {
        return Double.valueOf(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be a number, was " + value);
      }
    }

    private static Class<?> load(String name) {
      try {
        return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("entity class " + name + " is not on the class path");
      }
    }
  }
}
