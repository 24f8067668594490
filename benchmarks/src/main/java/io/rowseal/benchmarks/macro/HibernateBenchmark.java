package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import java.util.concurrent.TimeUnit;
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
 * Macro: Hibernate + HikariCP, persist 10,000 entities (batches of 50) in one transaction, clear, read
 * them all back; plaintext entity versus the same entity with three {@code @Encrypted} fields, and a
 * plaintext control exactly as wide as the encrypted row ({@link WideCustomer}). One
 * invocation is the whole 10,000-row round; the tables are emptied before each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HibernateBenchmark {
  @Param({"h2", "postgresql"})
  public String database;

  /** {@code wide}: the plaintext control as wide as the encrypted row ({@link WideCustomer}). */
  @Param({"plaintext", "wide", "encrypted"})
  public String entity;

  private SessionFactory sessionFactory;
  private Row[] rows;
  private byte[][][] wide;

  @Setup(Level.Trial)
  public void setUp() {
    boolean encrypted = "encrypted".equals(entity);
    rows = Row.random(Macro.ROWS, 3);
    wide = "wide".equals(entity) ? WideCustomer.columnsFor(rows) : null;
    sessionFactory = Macro.sessionFactory(Database.of(database));
    if (encrypted && !Macro.integrationActive(sessionFactory)) {
      throw new IllegalStateException("the rowseal Hibernate integration is not active: @Encrypted values"
          + " reach the database as plaintext, so there is nothing to measure");
    }
  }

  @Setup(Level.Invocation)
  public void emptyTables() {
    Macro.clear(sessionFactory);
  }

  @Benchmark
  public long persistAndReadBack() {
    return Macro.persistAndReadBack(sessionFactory, rows, wide, entity);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sessionFactory.close();
  }
}
