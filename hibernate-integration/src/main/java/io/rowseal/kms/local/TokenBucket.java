package io.rowseal.kms.local;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The request quota: a token bucket holding at most one second's worth of requests, refilled
 * continuously at {@code requestsPerSecond} (AWS KMS's shared quota behaves so: bursts up to the
 * per-second limit, then the steady rate). Time comes from a {@link Ticker} so tests can drive it.
 * Thread-safe.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;
  private final int requestsPerSecond;
  private final Ticker ticker;
  private double tokens;
  private long last;

  TokenBucket(int requestsPerSecond, Ticker ticker) {
    if (requestsPerSecond <= 0) {
      throw new IllegalArgumentException("requestsPerSecond must be positive, was " + requestsPerSecond);
    }
    this.requestsPerSecond = requestsPerSecond;
    this.ticker = ticker;
    this.tokens = requestsPerSecond;
    this.last = ticker.read();
  }

  /** Takes one request's token; false when the quota is exhausted. */
  synchronized boolean tryAcquire() {
    long now = ticker.read();
    if (now > last) {
      // in double arithmetic: (now - last) * requestsPerSecond overflows a long after 4.3 s at Integer.MAX_VALUE/s
      tokens = Math.min(requestsPerSecond, tokens + (now - last) / NANOS_PER_SECOND * requestsPerSecond);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  int requestsPerSecond() {
    return requestsPerSecond;
  }

  @Override
  public synchronized String toString() {
    return "TokenBucket(" + requestsPerSecond + "/s, available=" + (long) tokens + ")";
  }
}
