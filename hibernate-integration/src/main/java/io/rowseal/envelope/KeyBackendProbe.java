package io.rowseal.envelope;

import com.github.benmanes.caffeine.cache.Ticker;
import io.rowseal.envelope.KeyHealth.Status;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks an envelope's key backend for {@link Envelope#keyHealth()}: one real, cheap KMS request (describe
 * the CMK) at most once per probe interval, bounded by a timeout, plus what the branch-key cache holds
 * (which costs nothing). Health endpoints polled every few seconds thus cost a paid KMS at most one request
 * per interval. A probe still hanging past its timeout is not sent again until it ends. Thread-safe.
 */
final class KeyBackendProbe {
  /** Runs each probe on a short-lived daemon thread, so that a hanging KMS cannot hold the caller. */
  private static final Executor PROBE_THREAD = task -> {
    Thread t = new Thread(task, "rowseal-kms-health-probe");
    t.setDaemon(true);
    t.start();
  };

  private enum Outcome { REACHED, KEY_UNUSABLE, UNREACHABLE }

  private record Probe(String cmkId, long atNanos, Instant at, Outcome outcome, KeyState state, String error) {}

  private final CmkProvider kms;
  private final BranchKeyCache branchKeys;
  private final EnvelopeMetrics metrics;
  private final InstantSource clock;
  private final Ticker ticker;
  private final Duration interval;
  private final Duration timeout;
  private Probe last; // guarded by this
  private CompletableFuture<KeyMetadata> pending; // guarded by this

  KeyBackendProbe(CmkProvider kms, BranchKeyCache branchKeys, EnvelopeMetrics metrics, InstantSource clock,
      Ticker ticker, Duration interval, Duration timeout) {
    this.kms = kms;
    this.branchKeys = branchKeys;
    this.metrics = metrics;
    this.clock = clock;
    this.ticker = ticker;
    this.interval = interval;
    this.timeout = timeout;
  }

  KeyHealth check() {
    String cmkId;
    try {
      cmkId = branchKeys.knownCmkId();
    } catch (RuntimeException e) {
      return storeUnreadable(e);
    }
    BranchKeyRef active = branchKeys.knownActiveRef();
    Optional<Duration> left = active == null ? Optional.empty() : branchKeys.cachedFor(active);
    Instant cachedUntil = left.map(clock.instant()::plus).orElse(null);
    if (cmkId == null) {
      return health(Status.UP, "no branch key yet: the first write creates one", null, active, cachedUntil, null);
    }
    Probe p = probe(cmkId);
    if (p.outcome() == Outcome.REACHED && p.state() == KeyState.ENABLED) {
      return health(Status.UP, "the KMS answers and CMK '" + cmkId + "' is enabled", cmkId, active, cachedUntil, p);
    }
    if (p.outcome() != Outcome.UNREACHABLE) {
      return health(Status.DOWN, "CMK '" + cmkId + "' is " + (p.state() == null ? "unusable (" + p.error() + ")"
          : p.state()) + ": no branch key can be created or refreshed, writes fail once the cache expires",
          cmkId, active, cachedUntil, p);
    }
    if (cachedUntil != null) {
      return health(Status.DEGRADED, "the KMS does not answer (" + p.error() + "); the cached branch key " + active
          + " keeps reads and writes working until " + cachedUntil, cmkId, active, cachedUntil, p);
    }
    return health(Status.DOWN, "the KMS does not answer (" + p.error() + ") and no branch key is cached: writes fail",
        cmkId, active, null, p);
  }

  private synchronized Probe probe(String cmkId) {
    long now = ticker.read();
    if (last != null && last.cmkId().equals(cmkId) && now - last.atNanos() < interval.toNanos()) {
      return last;
    }
    last = send(cmkId, now);
    return last;
  }

  private Probe send(String cmkId, long now) {
    Instant at = clock.instant();
    if (pending != null && !pending.isDone()) {
      return new Probe(cmkId, now, at, Outcome.UNREACHABLE, null, "RS-2004");
    }
    CompletableFuture<KeyMetadata> request = CompletableFuture.supplyAsync(() -> kms.describe(cmkId), PROBE_THREAD);
    pending = request;
    try {
      KeyMetadata metadata = request.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Probe(cmkId, now, at, Outcome.REACHED, metadata.state(), null);
    } catch (TimeoutException e) {
      return new Probe(cmkId, now, at, Outcome.UNREACHABLE, null, "RS-2004");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(cmkId, now, at, Outcome.UNREACHABLE, null, "RS-2004");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String code = Objects.requireNonNullElse(EnvelopeMetrics.codeOf(cause), cause.getClass().getSimpleName());
      if (cause instanceof KmsException.InvalidKeyState invalid) {
        return new Probe(cmkId, now, at, Outcome.KEY_UNUSABLE, invalid.state(), code);
      }
      if (cause instanceof KmsException.KeyNotFound) {
        return new Probe(cmkId, now, at, Outcome.KEY_UNUSABLE, null, code);
      }
      return new Probe(cmkId, now, at, Outcome.UNREACHABLE, null, code);
    }
  }

  private KeyHealth storeUnreadable(RuntimeException e) {
    BranchKeyRef active = branchKeys.knownActiveRef();
    Instant cachedUntil = active == null ? null : branchKeys.cachedFor(active).map(clock.instant()::plus).orElse(null);
    String code = Objects.requireNonNullElse(EnvelopeMetrics.codeOf(e), e.getClass().getSimpleName());
    return cachedUntil != null
        ? health(Status.DEGRADED, "the branch-key store cannot be read (" + code + "); the cached branch key "
            + active + " keeps reads and writes working until " + cachedUntil, null, active, cachedUntil, null)
        : health(Status.DOWN, "the branch-key store cannot be read (" + code + ") and no branch key is cached",
            null, active, null, null);
  }

  private KeyHealth health(Status status, String reason, String cmkId, BranchKeyRef active, Instant cachedUntil,
      Probe p) {
    return new KeyHealth(status, reason, kms.backend(), cmkId, p == null ? null : p.state(), active, cachedUntil,
        p == null ? null : p.at(), interval, p == null ? null : p.error(), metrics.lastKmsFailure().orElse(null));
  }
}
