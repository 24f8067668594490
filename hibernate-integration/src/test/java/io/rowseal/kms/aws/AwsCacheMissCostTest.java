package io.rowseal.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsCacheMissCostTest {

  @Test
  void measure_eachBranchKeyCacheMiss_sendsExactlyOneDecryptAndNothingElse() throws Exception {
    AwsCacheMissCost.Figures f = AwsCacheMissCost.measure(2, 3);

    assertThat(f.misses()).isEqualTo(6);
    assertThat(f.decrypts()).as("one Decrypt per miss").isEqualTo(6);
    assertThat(f.requests()).as("no other request").isEqualTo(6);
    assertThat(f.awsBest()).isPositive();
    assertThat(f.memoryBest()).isPositive();
  }
}
