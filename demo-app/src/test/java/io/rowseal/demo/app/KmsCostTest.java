package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code cost} command's month on each key backend, priced by rowseal's {@code BackendCost}. */
class KmsCostTest {

  @Test
  void backends_seedDeployment_awsBillsTheSeedsPrices_othersNothing_eachSaysWhatItCostsBesides() {
    // the seed's deployment: 10 processes x 5 branch keys, one unwrap per 5 minutes: 432,000 requests
    long requests = KmsCost.PROCESSES * KmsCost.BRANCH_KEYS * (KmsCost.SECONDS_PER_MONTH / KmsCost.CACHE_LIFETIME_SECONDS);

    String out = print(requests, (double) requests / KmsCost.SECONDS_PER_MONTH);

    assertThat(out).contains("the same 432,000 requests/month on each key backend")
        .containsPattern("aws +\\$2\\.24 +10,000 requests/s per account")
        .containsPattern("local +\\$0\\.00 +rowseal\\.kms\\.local\\.quota")
        .containsPattern("pkcs11 +\\$0\\.00 +the HSM's own throughput")
        .containsPattern("in-memory +\\$0\\.00")
        .contains("local: no bill: each request is CPU in the application")
        .contains("pkcs11: no per-request price: the HSM itself")
        .doesNotContain("EXCEEDED");
  }

  @Test
  void backends_peakAboveTheQuota_marksTheBackendsWithThatLimit() {
    String out = print(1_000_000, 20_000);

    assertThat(out).containsPattern("aws +\\$3\\.94 +EXCEEDED: 10,000 requests/s")
        .containsPattern("local +\\$0\\.00 +EXCEEDED: rowseal\\.kms\\.local\\.quota")
        .containsPattern("pkcs11 +\\$0\\.00 +the HSM's own");
  }

  private static String print(long requests, double peakPerSecond) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KmsCost.backends(new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8)),
        EngineKeys.bills(requests, 1, peakPerSecond), requests);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
