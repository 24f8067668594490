package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.TinkAead;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for Google Tink's AES256_GCM Aead, one call per field. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TinkBenchmark {
  private TinkAead cipher;
  private Pool<byte[][]> pool;

  @Setup
  public void setUp() throws Exception {
    cipher = new TinkAead();
    pool = new Pool<>(cipher, Pool.FAST, 1);
  }

  @Benchmark
  public byte[][] encryptRow() throws Exception {
    return cipher.encrypt(pool.nextRow());
  }

  @Benchmark
  public Row decryptRow() throws Exception {
    return cipher.decrypt(pool.nextStored());
  }
}
