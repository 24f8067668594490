package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.RowCipher;
import io.rowseal.benchmarks.contenders.JasyptText;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for Jasypt's StandardPBEStringEncryptor with its defaults. */
public class JasyptStandardBenchmark extends ContenderBenchmark<String[]> {
  @Override
  protected RowCipher<String[]> contender() throws Exception {
    return JasyptText.standardDefaults("benchmark password");
  }

  @Override
  protected int poolSize() {
    return Pool.SLOW;
  }
}
