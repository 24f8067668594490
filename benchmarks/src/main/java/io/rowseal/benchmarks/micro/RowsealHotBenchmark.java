package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.keystore.InMemoryBranchKeyStore;
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
 * rowseal's warm read with a small hot set: {@link #ROWS} rows read round-robin, every row key cached.
 * Not a target: it shows how much of the warm read's cost ({@link RowsealBenchmark#decryptRowWarm}, 16,384
 * rows) is the memory the row keys and their ciphers occupy rather than computation. Measured only in
 * the interleaved run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowsealHotBenchmark {
  public static final int ROWS = 256;

  private RowsealEngine engine;
  private Pool<byte[][]> pool;

  @Setup
  public void setUp() throws Exception {
    engine = new RowsealEngine(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), 2L * Pool.FAST);
    pool = new Pool<>(engine, ROWS, 1);
    for (int i = 0; i < ROWS; i++) {
      engine.decrypt(pool.nextStored());
    }
  }

  @Benchmark
  public Row decryptRowHot() throws Exception {
    return engine.decrypt(pool.nextStored());
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }
}
