package io.rowseal.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingTest {
  private final List<Long> sleeps = new ArrayList<>();
  private final InMemoryCmkProvider memory = new InMemoryCmkProvider();

  @Test
  void call_throttledTwiceThenServed_returnsAfterTwoBackoffs() throws IntegrityException {
    String id = memory.createKey("k").cmkId();
    FlakyProvider flaky = new FlakyProvider(memory, 2);
    Retrying retrying = retrying(flaky, 5);
    DataKey dk = retrying.generateDataKey(id, EncryptionContext.empty());
    assertThat(retrying.unwrap(id, dk.wrapped(), EncryptionContext.empty()).sameKeyAs(dk.plaintext())).isTrue();
    assertThat(retrying.retries()).isEqualTo(2);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void call_alwaysThrottled_rethrowsAfterMaxAttemptsWithBoundedGrowingBackoff() {
    FlakyProvider flaky = new FlakyProvider(memory, Integer.MAX_VALUE);
    Retrying retrying = retrying(flaky, 8);
    assertThatThrownBy(() -> retrying.describe("any")).isInstanceOf(KmsException.Throttled.class);
    assertThat(flaky.calls.get()).isEqualTo(8);
    assertThat(sleeps).hasSize(7);
    long initial = Duration.ofMillis(10).toNanos();
    long max = Duration.ofMillis(100).toNanos();
    for (int i = 0; i < sleeps.size(); i++) {
      long d = Math.min(max, initial << i);
      assertThat(sleeps.get(i)).as("backoff %d", i + 1).isBetween(d / 2, d);
    }
  }

  @Test
  void call_otherFailure_isNotRetried() {
    Retrying retrying = retrying(memory, 5);
    assertThatThrownBy(() -> retrying.describe("cmk-missing")).isInstanceOf(KmsException.KeyNotFound.class);
    assertThat(retrying.retries()).isZero();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void of_invalidPolicy_isRejected() {
    assertThatThrownBy(() -> Retrying.of(memory, 0, Duration.ofMillis(1), Duration.ofMillis(1)))
        .hasMessage("maxAttempts must be at least 1, was 0");
    assertThatThrownBy(() -> Retrying.of(memory, 3, Duration.ofMillis(10), Duration.ofMillis(1)))
        .hasMessage("backoffs must satisfy 0 < initial <= max, were PT0.01S and PT0.001S");
  }

  private Retrying retrying(CmkProvider delegate, int maxAttempts) {
    return new Retrying(delegate, maxAttempts, Duration.ofMillis(10), Duration.ofMillis(100), sleeps::add);
  }

  /** Throttles the first {@code failures} calls, then delegates. */
  private static final class FlakyProvider implements CmkProvider {
    private final CmkProvider delegate;
    private final int failures;
    final AtomicInteger calls = new AtomicInteger();

    FlakyProvider(CmkProvider delegate, int failures) {
      this.delegate = delegate;
      this.failures = failures;
    }

    private void maybeThrottle() {
      if (calls.incrementAndGet() <= failures) {
        throw new KmsException.Throttled("throttled for the test");
      }
    }

    @Override
    public KeyMetadata createKey(String description) {
      maybeThrottle();
      return delegate.createKey(description);
    }

    @Override
    public DataKey generateDataKey(String cmkId, EncryptionContext context) {
      maybeThrottle();
      return delegate.generateDataKey(cmkId, context);
    }

    @Override
    public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
      maybeThrottle();
      return delegate.wrap(cmkId, key, context);
    }

    @Override
    public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
      maybeThrottle();
      return delegate.unwrap(cmkId, wrapped, context);
    }

    @Override
    public KeyMetadata describe(String cmkId) {
      maybeThrottle();
      return delegate.describe(cmkId);
    }

    @Override
    public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
      maybeThrottle();
      return delegate.scheduleDeletion(cmkId, waitingPeriod);
    }
  }
}
