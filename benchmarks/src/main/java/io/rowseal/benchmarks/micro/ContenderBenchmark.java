package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.RowCipher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for one contender, over a {@link Pool} of
 * rows. Each subclass names its contender; JMH generates the two benchmarks per subclass, so results are
 * keyed {@code <Subclass>.encryptRow} / {@code .decryptRow} (rowseal's own benchmarks differ in set-up and
 * stand apart).
 *
 * @param <S> the contender's stored form of a row
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class ContenderBenchmark<S> {
  private RowCipher<S> cipher;
  private Pool<S> pool;

  /** A new instance of the contender. */
  protected abstract RowCipher<S> contender() throws Exception;

  /** Rows in the pool: {@link Pool#FAST} for microsecond-scale contenders, {@link Pool#SLOW} otherwise. */
  protected abstract int poolSize();

  @Setup
  public void setUp() throws Exception {
    cipher = contender();
    pool = new Pool<>(cipher, poolSize(), 1);
  }

  @Benchmark
  public Object encryptRow() throws Exception {
    return cipher.encrypt(pool.nextRow());
  }

  @Benchmark
  public Object decryptRow() throws Exception {
    return cipher.decrypt(pool.nextStored());
  }
}
