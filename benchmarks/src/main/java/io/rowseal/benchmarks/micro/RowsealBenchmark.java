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
 * rowseal's engine. Encrypt-row: a fresh N and the row DEK derived from the cached branch key, three
 * values. Decrypt-row with a warm DEK cache: the DEK cache holds more than the pool's rows (which were all
 * read once in set-up), so every value finds its row key cached (cold reads: {@link RowsealColdBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowsealBenchmark {
  private final int rows;
  private RowsealEngine engine;
  private Pool<byte[][]> pool;

  public RowsealBenchmark() {
    this(Pool.FAST);
  }

  private RowsealBenchmark(int rows) {
    this.rows = rows;
  }

  /**
   * The same with a small hot set of {@code rows} rows (a power of two), for the interleaved run only: it
   * shows how much of the warm read is the memory that 16,384 cached row keys and their ciphers occupy.
   */
  public static RowsealBenchmark hotSet(int rows) {
    return new RowsealBenchmark(rows);
  }

  @Setup
  public void setUp() throws Exception {
    engine = new RowsealEngine(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), 2L * Pool.FAST);
    pool = new Pool<>(engine, rows, 1);
    for (int i = 0; i < rows; i++) {
      engine.decrypt(pool.nextStored());
    }
  }

  @Benchmark
  public byte[][] encryptRow() {
    return engine.encrypt(pool.nextRow());
  }

  @Benchmark
  public Row decryptRowWarm() throws Exception {
    return engine.decrypt(pool.nextStored());
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }
}
