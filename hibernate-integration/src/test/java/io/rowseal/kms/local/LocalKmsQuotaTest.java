package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.Retrying;
import io.rowseal.kms.local.KmsUsage.Operation;
import io.rowseal.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The request quota, alone and behind the retrying wrapper the engine uses. */
class LocalKmsQuotaTest {

  @Test
  void generateDataKey_beyondQuotaOnFakeTicker_throwsThrottledUntilTheBucketRefills() {
    AtomicLong nanos = new AtomicLong();
    try (HikariDataSource ds = TestDatabase.H2.dataSource();
        LocalKms kms = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), "rowseal_kms_", Clock.systemUTC())
            .quota(5).ticker(nanos::get).build()) {
      String id = kms.createKey("q").cmkId();
      for (int i = 0; i < 4; i++) {
        kms.generateDataKey(id, EncryptionContext.empty());
      }
      assertThatThrownBy(() -> kms.generateDataKey(id, EncryptionContext.empty()))
          .isInstanceOfSatisfying(KmsException.Throttled.class, e -> assertThat(e.code()).isEqualTo("RS-2003"))
          .hasMessageStartingWith("RS-2003: LocalKms request quota of 5 requests/s exceeded (operation=GenerateDataKey");
      nanos.addAndGet(Duration.ofMillis(200).toNanos());
      kms.generateDataKey(id, EncryptionContext.empty());
      KmsUsage usage = kms.usage();
      assertThat(usage.requests(Operation.GENERATE_DATA_KEY)).isEqualTo(5);
      assertThat(usage.requests(Operation.CREATE_KEY)).isEqualTo(1);
      assertThat(usage.throttled()).isEqualTo(1);
      assertThat(usage.totalRequests()).isEqualTo(6);
    }
  }

  @Test
  void retrying_fourThreadsOverASmallQuota_everyCallSucceedsAndNothingIsLost() throws Exception {
    int threads = 4;
    int perThread = 30;
    try (HikariDataSource ds = TestDatabase.H2.dataSource();
        LocalKms kms = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), "rowseal_kms_", Clock.systemUTC())
            .quota(50).build()) {
      String id = kms.createKey("busy").cmkId();
      Retrying retrying = Retrying.of(kms, 100, Duration.ofMillis(5), Duration.ofMillis(200));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<String>>> results = new ArrayList<>();
      try {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          results.add(pool.submit(() -> {
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              EncryptionContext ctx = EncryptionContext.of(Map.of("thread", "" + thread, "i", "" + i));
              DataKey dk = retrying.generateDataKey(id, ctx);
              try {
                if (!retrying.unwrap(id, dk.wrapped(), ctx).sameKeyAs(dk.plaintext())) {
                  mismatches.add(ctx.toString());
                }
              } catch (IntegrityException e) {
                mismatches.add(ctx + ": " + e.getMessage());
              }
            }
            return mismatches;
          }));
        }
        for (Future<List<String>> f : results) {
          assertThat(f.get()).isEmpty(); // a Throttled reaching a caller would surface here
        }
      } finally {
        pool.shutdownNow();
      }
      KmsUsage usage = kms.usage();
      assertThat(usage.requests(Operation.GENERATE_DATA_KEY)).isEqualTo(threads * perThread);
      assertThat(usage.requests(Operation.UNWRAP)).isEqualTo(threads * perThread);
      assertThat(usage.throttled()).as("the quota was exceeded").isPositive();
      assertThat(retrying.retries()).as("every throttled request was retried").isEqualTo(usage.throttled());
    }
  }
}
