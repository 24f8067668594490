package io.rowseal.benchmarks.micro;

import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.kms.InMemoryCmkProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * rowseal's decrypt-row with a cold DEK cache: the same {@link Pool#FAST} rows as the floor's, read
 * round-robin through a DEK cache of {@value #DEK_CACHE} row keys, so a row's first value practically
 * always misses and unwraps the row key (its other two values then find it cached, as in a real row
 * load). {@link ColdCacheCheck} measures the miss rate this pattern gives; the report prints it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowsealColdBenchmark {
  /** Distinct rows read round-robin. */
  public static final int ROWS = Pool.FAST;
  /** DEK cache size: a thirty-second of the rows. */
  public static final int DEK_CACHE = ROWS / 32;

  private RowsealEngine engine;
  private Pool<byte[][]> pool;

  @Setup
  public void setUp() throws Exception {
    engine = new RowsealEngine(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), DEK_CACHE);
    pool = new Pool<>(engine, ROWS, 1);
  }

  @Benchmark
  public Row decryptRowCold() throws Exception {
    return engine.decrypt(pool.nextStored());
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }

  /** Runs the cold pattern without timing and returns DEK-cache misses per row read. */
  public static final class ColdCacheCheck {
    private ColdCacheCheck() {}

    public static double missesPerRow(int rowsToRead) throws Exception {
      RowsealColdBenchmark b = new RowsealColdBenchmark();
      b.setUp();
      try {
        // one full lap first, as the benchmark's warm-up does
        for (int i = 0; i < ROWS; i++) {
          b.decryptRowCold();
        }
        long before = b.engine.envelope().metrics().dekMisses();
        for (int i = 0; i < rowsToRead; i++) {
          b.decryptRowCold();
        }
        return (b.engine.envelope().metrics().dekMisses() - before) / (double) rowsToRead;
      } finally {
        b.tearDown();
      }
    }
  }
}
