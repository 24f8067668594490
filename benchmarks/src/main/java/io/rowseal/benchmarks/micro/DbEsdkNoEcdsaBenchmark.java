package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.DbEsdkItem;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for the DB-ESDK item encryptor with the suite that signs by HMAC only. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DbEsdkNoEcdsaBenchmark {
  private DbEsdkItem cipher;
  private Pool<java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> pool;

  @Setup
  public void setUp() throws Exception {
    cipher = new DbEsdkItem(false);
    pool = new Pool<>(cipher, Pool.SLOW, 1);
  }

  @Benchmark
  public java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> encryptRow() throws Exception {
    return cipher.encrypt(pool.nextRow());
  }

  @Benchmark
  public Row decryptRow() throws Exception {
    return cipher.decrypt(pool.nextStored());
  }
}
