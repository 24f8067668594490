package io.rowseal.demo.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.hibernate.MigrationReport;
import io.rowseal.hibernate.RowMigration;
import io.rowseal.hibernate.RowsealInventory;
import io.rowseal.hibernate.RowsealSchema;
import io.rowseal.hibernate.RowsealSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * The {@code migrate} command: an application that already holds plaintext rows adopts rowseal. On a
 * database of its own ({@code demo-data/legacy}, made anew each run) it
 * <ol>
 *   <li>writes customers in plaintext, as the application did before rowseal (the un-annotated twins of
 *       the demo's entities);</li>
 *   <li>prints and applies the DDL rowseal needs (column types and widths, the footer column);</li>
 *   <li>restarts with {@code @Encrypted} and transition reads on: the old rows still serve;</li>
 *   <li>runs the migration job with its progress visible, and shows every row encrypted and signed;</li>
 *   <li>compacts the database file, which can otherwise keep old plaintext in pages it has not reused.</li>
 * </ol>
 * Library mode only: the agent would encrypt the "legacy" writes of step 1 too.
 */
final class MigrateLegacyTable {
  static final int ROWS = 3_000;

  private MigrateLegacyTable() {}

  static void run(Console console) {
    Path dir = DemoContext.DATA_DIR.resolve("legacy").toAbsolutePath().normalize();
    delete(dir);
    try (HikariDataSource pool = pool(dir)) {
      // 1. The application as it was: plaintext columns, its own rows.
      console.step("A legacy application writes " + ROWS + " customers in plaintext");
      try (SessionFactory legacy = factory(pool, EntityModel.plain(), Map.of("hibernate.hbm2ddl.auto", "create"))) {
        legacy.inTransaction(s -> {
          for (int i = 0; i < ROWS; i++) {
            s.persist(customer(EntityModel.plain(), i));
            if (i % 500 == 499) {
              s.flush();
              s.clear();
            }
          }
        });
      }
      console.line("raw email column of the first row: '%s' (plaintext)", firstEmail(pool));

      try (KeyControl keys = EngineKeys.open(pool)) {
        Map<String, Object> rowseal = new HashMap<>(keys.hibernateSettings());
        rowseal.put("hibernate.hbm2ddl.auto", "none");
        rowseal.put(RowsealSettings.TRANSITION_READ_PLAINTEXT, "true");
        // 2. The schema change rowseal asks for, printed as a script and applied.
        console.step("rowseal prints the schema change the table needs, and applies it");
        Map<String, Object> asItIs = new HashMap<>(rowseal);
        asItIs.put(RowsealSettings.COLUMN_CHECK, "off");
        try (SessionFactory plan = factory(pool, EntityModel.annotated(), asItIs)) {
          List<String> statements = RowsealSchema.statements(plan);
          statements.forEach(s -> console.line("%s;", s));
          console.line("applied %d statement(s)", RowsealSchema.apply(plan));
        }
        // 3. The application again, now with @Encrypted: old rows read through transition reads.
        try (SessionFactory app = factory(pool, EntityModel.annotated(), rowseal)) {
          console.step("The application restarts with @Encrypted and transition reads on");
          CustomerRecord first = app.fromTransaction(s -> (CustomerRecord) s.find(
              EntityModel.annotated().customerClass(), firstId(pool)));
          console.line("customer %s reads back: %s (from legacy plaintext)", first.getId(), first.getEmail());
          RowsealInventory.of(app).forEach(e -> console.line("%-28s %6d rows", e.keys(), e.rows()));

          // 4. The job: every row encrypted and signed, online, in batches, with its progress.
          console.step("The migration job encrypts and signs every row");
          MigrationReport report = RowMigration.of(app, EntityModel.annotated().customerClass())
              .batchSize(500)
              .progress(p -> console.line("[%-20s] %5d/%d rows  %,8.0f rows/s  ETA %ds",
                  "#".repeat((int) Math.round(20 * p.fraction())), p.done(), p.total(), p.rowsPerSecond(),
                  p.eta().toSeconds()))
              .run();
          console.line("%s", report);
          RowsealInventory.of(app).forEach(e -> console.line("%-28s %6d rows", e.keys(), e.rows()));
        }
        byte[] raw = firstEmail(pool).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!io.rowseal.envelope.Envelope.isValue(raw)) {
          throw new DemoException("the job left plaintext in the email column");
        }
        console.line("raw email column of the first row: a rowseal value, %d bytes", raw.length);
        // 5. Transition reads off again: every row is a rowseal row now.
        rowseal.remove(RowsealSettings.TRANSITION_READ_PLAINTEXT);
        try (SessionFactory app = factory(pool, EntityModel.annotated(), rowseal)) {
          long read = app.fromTransaction(s -> s.createQuery("from Customer", CustomerRecord.class)
              .getResultList().size());
          console.line("[ok] all %d customers read back with transition reads off", read);
        }
      }
      // 6. The rows are ciphertext, but the database file can still hold the old plaintext in pages it has
      //    not reused yet: compact it (PostgreSQL: VACUUM FULL; MariaDB: OPTIMIZE TABLE), and age out backups.
      console.step("Compact the database file, so no old page keeps the plaintext");
      try (var c = pool.getConnection(); var s = c.createStatement()) {
        s.execute("SHUTDOWN COMPACT");
      } catch (java.sql.SQLException e) {
        // 90121 "Database is already closed": the pool touching the connection after the shutdown.
        if (e.getErrorCode() != 90121) {
          throw new DemoException("cannot compact the legacy database: " + e.getMessage(), e);
        }
      }
      console.line("SHUTDOWN COMPACT done (docs/MIGRATION.md, \"Plaintext left behind\")");
    }
  }

  private static CustomerRecord customer(EntityModel model, int i) {
    SampleCustomers.Sample s = new SampleCustomers.Sample("Customer " + i, "customer" + i + "@example.org",
        String.format("%03d-%02d-%04d", 100 + i % 800, 10 + i % 89, i), LocalDate.of(1950 + i % 50, 1 + i % 12,
        1 + i % 28), "4000 0000 0000 " + String.format("%04d", i), "legacy note " + i, i + " Main Street",
        "Springfield");
    return model.factory().apply(s);
  }

  private static SessionFactory factory(HikariDataSource pool, EntityModel model, Map<String, Object> settings) {
    Configuration config = new Configuration();
    model.classes().forEach(config::addAnnotatedClass);
    config.getProperties().put("hibernate.connection.datasource", pool);
    config.getProperties().putAll(settings);
    return config.buildSessionFactory();
  }

  private static long firstId(HikariDataSource pool) {
    return Long.parseLong(query(pool, "select min(id) from customer"));
  }

  private static String firstEmail(HikariDataSource pool) {
    return query(pool, "select email from customer where id = (select min(id) from customer)");
  }

  private static String query(HikariDataSource pool, String sql) {
    try (var c = pool.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      Object v = rs.getObject(1);
      return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(v);
    } catch (java.sql.SQLException e) {
      throw new DemoException("cannot read the legacy table: " + e.getMessage(), e);
    }
  }

  private static HikariDataSource pool(Path dir) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("rowseal-demo-legacy");
    config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("customers"));
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new DemoException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
