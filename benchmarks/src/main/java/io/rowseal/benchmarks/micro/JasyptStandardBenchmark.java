package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.JasyptText;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for Jasypt's StandardPBEStringEncryptor with its defaults. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JasyptStandardBenchmark {
  private JasyptText cipher;
  private Pool<String[]> pool;

  @Setup
  public void setUp() throws Exception {
    cipher = JasyptText.standardDefaults("benchmark password");
    pool = new Pool<>(cipher, Pool.SLOW, 1);
  }

  @Benchmark
  public String[] encryptRow() throws Exception {
    return cipher.encrypt(pool.nextRow());
  }

  @Benchmark
  public Row decryptRow() throws Exception {
    return cipher.decrypt(pool.nextStored());
  }
}
