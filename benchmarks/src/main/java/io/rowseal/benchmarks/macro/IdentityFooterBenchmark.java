package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What an IDENTITY id costs with row signatures: the footer cannot be in the INSERT (the id is not
 * known yet), so each inserted row gets a second statement, {@code UPDATE ... SET rowseal_sig = ?}.
 * Persists {@value #ROWS} entities with IDENTITY ids (JDBC batching is off for IDENTITY inserts in any
 * case) in one transaction, plaintext versus three {@code @Encrypted} fields; the tables are emptied
 * before each invocation. Run it alone:
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main IdentityFooterBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdentityFooterBenchmark {
  static final int ROWS = 2_000;

  @Param({"h2", "postgresql"})
  public String database;

  @Param({"plaintext", "encrypted"})
  public String entity;

  private SessionFactory sessionFactory;
  private Row[] rows;

  @Setup(Level.Trial)
  public void setUp() {
    rows = Row.random(ROWS, 3);
    sessionFactory = Macro.sessionFactory(Database.of(database));
  }

  @Setup(Level.Invocation)
  public void emptyTables() {
    sessionFactory.inTransaction(s -> {
      s.createNativeMutationQuery("delete from rsbench_plain_identity").executeUpdate();
      s.createNativeMutationQuery("delete from rsbench_sealed_identity").executeUpdate();
    });
  }

  @Benchmark
  public int persist() {
    boolean encrypted = "encrypted".equals(entity);
    try (Session session = sessionFactory.openSession()) {
      var tx = session.beginTransaction();
      for (Row r : rows) {
        session.persist(encrypted
            ? new IdentitySealedCustomer(r.code(), r.email(), r.address())
            : new IdentityPlainCustomer(r.code(), r.email(), r.address()));
      }
      tx.commit();
    }
    return rows.length;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sessionFactory.close();
  }
}
