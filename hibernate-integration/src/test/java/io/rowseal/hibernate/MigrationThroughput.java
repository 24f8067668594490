package io.rowseal.hibernate;

import io.rowseal.testing.TestDatabase;

/**
 * Measures the migration job by hand (not a test: no timing is asserted anywhere): legacy rows
 * encrypted and signed, then a second pass over rows already current. Figures are in
 * docs/MIGRATION.md. Run with the test class path:
 * {@code java -cp <test class path> io.rowseal.hibernate.MigrationThroughput POSTGRESQL 50000}.
 */
public final class MigrationThroughput {
  private MigrationThroughput() {}

  public static void main(String[] args) throws Exception {
    TestDatabase db = TestDatabase.valueOf(args[0]);
    int rows = Integer.parseInt(args[1]);
    try (Jpa jpa = Jpa.start(db, TransitionReadsTest.ON, OldCustomer.class)) {
      RowMigrationConcurrencyTest.insertLegacy(jpa.pool, jpa.table("old_customer"), rows);
      try {
        for (String pass : new String[] {"encrypt and sign", "already current"}) {
          MigrationReport r = RowMigration.of(jpa.sessionFactory, OldCustomer.class).checkpointTable(
              jpa.table("rs_mig")).batchSize(500).run();
          double seconds = r.elapsed().toNanos() / 1e9;
          System.out.printf("%s, %s, %d rows: %.1f s, %.0f rows/s (%d rewritten)%n", db, pass, rows, seconds,
              rows / seconds, r.rewritten());
        }
      } finally {
        jpa.rawUpdate("drop table if exists " + jpa.table("rs_mig"));
        jpa.rawUpdate("drop table if exists " + jpa.table("rs_mig") + "_failed");
      }
    }
  }
}
