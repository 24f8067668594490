package io.rowseal.kms;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CmkProvider} that retries {@link KmsException.Throttled} with exponential backoff and
 * jitter, as AWS SDKs do: before retry {@code n} (1-based) it waits a uniformly random time in
 * {@code [d/2, d]} with {@code d = min(maxBackoff, initialBackoff · 2^(n-1))}, so that callers
 * throttled together spread out. After {@code maxAttempts} attempts the last {@code Throttled} is
 * rethrown; every other exception passes through at once. An interrupt while waiting ends the retries
 * (the interrupt flag is kept). Thread-safe when the delegate is.
 */
public final class Retrying implements CmkProvider {
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(10);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);

  /** How the wait happens; tests substitute one that records instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IntegrityException;
  }

  private final CmkProvider delegate;
  private final int maxAttempts;
  private final long initialNanos;
  private final long maxNanos;
  private final Sleeper sleeper;
  private final LongAdder retries = new LongAdder();

  Retrying(CmkProvider delegate, int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoffs must satisfy 0 < initial <= max, were "
          + initialBackoff + " and " + maxBackoff);
    }
    this.maxAttempts = maxAttempts;
    this.initialNanos = initialBackoff.toNanos();
    this.maxNanos = maxBackoff.toNanos();
    this.sleeper = sleeper;
  }

  /** Retries with the defaults: 10 attempts, backoff from 10 ms doubling up to 1 s. */
  public static Retrying of(CmkProvider delegate) {
    return of(delegate, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  public static Retrying of(CmkProvider delegate, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new Retrying(delegate, maxAttempts, initialBackoff, maxBackoff, TimeUnit.NANOSECONDS::sleep);
  }

  /** Retries made so far (attempts after a Throttled), over all calls. */
  public long retries() {
    return retries.sum();
  }

  @Override
  public KeyMetadata createKey(String description) {
    return unchecked(() -> delegate.createKey(description));
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    return unchecked(() -> delegate.generateDataKey(cmkId, context));
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    return unchecked(() -> delegate.wrap(cmkId, key, context));
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    return call(() -> delegate.unwrap(cmkId, wrapped, context));
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    return unchecked(() -> delegate.describe(cmkId));
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    return unchecked(() -> delegate.scheduleDeletion(cmkId, waitingPeriod));
  }

  private <T> T unchecked(Call<T> call) {
    try {
      return call(call);
    } catch (IntegrityException e) {
      throw new IllegalStateException("an operation without integrity check reported one", e);
    }
  }

  private <T> T call(Call<T> call) throws IntegrityException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (KmsException.Throttled e) {
        if (attempt >= maxAttempts) {
          throw e;
        }
        long d = initialNanos;
        for (int i = 1; i < attempt && d < maxNanos; i++) {
          d *= 2;
        }
        d = Math.min(d, maxNanos);
        try {
          sleeper.sleep(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        retries.increment();
      }
    }
  }

  @Override
  public String backend() {
    return delegate.backend();
  }

  @Override
  public String toString() {
    return "Retrying(" + delegate + ", maxAttempts=" + maxAttempts + ", retries=" + retries() + ")";
  }
}
