package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.RowCipher;
import io.rowseal.benchmarks.contenders.FloorAesGcm;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for the floor: raw JDK AES-256-GCM, one static key. */
public class FloorBenchmark extends ContenderBenchmark<byte[][]> {
  @Override
  protected RowCipher<byte[][]> contender() throws Exception {
    return new FloorAesGcm();
  }

  @Override
  protected int poolSize() {
    return Pool.FAST;
  }
}
