package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.RowCipher;
import io.rowseal.benchmarks.contenders.TinkAead;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for Google Tink's AES256_GCM Aead, one call per field. */
public class TinkBenchmark extends ContenderBenchmark<byte[][]> {
  @Override
  protected RowCipher<byte[][]> contender() throws Exception {
    return new TinkAead();
  }

  @Override
  protected int poolSize() {
    return Pool.FAST;
  }
}
