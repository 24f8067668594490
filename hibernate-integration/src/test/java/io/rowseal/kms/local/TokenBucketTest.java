package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void tryAcquire_unlimitedQuotaAfterALongPause_grants() {
    AtomicLong nanos = new AtomicLong();
    TokenBucket bucket = new TokenBucket(Integer.MAX_VALUE, nanos::get);
    assertThat(bucket.tryAcquire()).isTrue();
    nanos.addAndGet(10_000_000_000L); // 10 s: elapsed × quota is beyond a long
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void tryAcquire_quotaUsedUp_refusesUntilRefilled() {
    AtomicLong nanos = new AtomicLong();
    TokenBucket bucket = new TokenBucket(2, nanos::get);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(500_000_000L);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
  }
}
