package io.rowseal.envelope;

import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.kms.CmkProvider;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Configures an {@link Envelope}. Each setter validates at once and refuses to be called twice;
 * {@link #build()} checks that the required parts are there. Not thread-safe.
 */
public final class EnvelopeBuilder {
  static final Duration DEFAULT_BRANCH_KEY_TTL = Duration.ofMinutes(5);
  static final Duration DEFAULT_DEK_TTL = Duration.ofMinutes(5);
  static final long DEFAULT_DEK_CACHE_SIZE = 10_000;
  static final Duration DEFAULT_HEALTH_PROBE_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(5);

  CmkProvider cmkProvider;
  BranchKeyStore store;
  String branchKeyId = "default";
  private boolean branchKeyIdSet;
  String cmkId;
  java.util.Set<String> previousCmkIds = java.util.Set.of();
  Duration branchKeyTtl;
  Duration dekCacheTtl;
  long dekCacheMaxSize = -1;
  RandomSource random;
  InstantSource clock;
  Duration healthProbeInterval;
  Duration healthProbeTimeout;

  EnvelopeBuilder() {}

  /** The KMS that wraps branch keys (required). */
  public EnvelopeBuilder cmkProvider(CmkProvider provider) {
    requireState(cmkProvider == null, "CMK provider was already set to %s", cmkProvider);
    this.cmkProvider = Objects.requireNonNull(provider, "cmkProvider");
    return this;
  }

  /** Where wrapped branch keys live (required). */
  public EnvelopeBuilder branchKeyStore(BranchKeyStore branchKeyStore) {
    requireState(store == null, "branch-key store was already set to %s", store);
    this.store = Objects.requireNonNull(branchKeyStore, "branchKeyStore");
    return this;
  }

  /** The branch-key id new rows are written under (default {@code "default"}). */
  public EnvelopeBuilder branchKeyId(String keyId) {
    requireState(!branchKeyIdSet, "branch-key id was already set to %s", branchKeyId);
    this.branchKeyId = BranchKeyRef.checkKeyId(keyId);
    this.branchKeyIdSet = true;
    return this;
  }

  /**
   * The CMK that wraps new branch-key versions. Optional: by default the CMK of the existing ACTIVE
   * version, or, for a new key id, a CMK created on first use.
   */
  public EnvelopeBuilder cmkId(String id) {
    requireState(cmkId == null, "CMK id was already set to %s", cmkId);
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("CMK id must not be blank");
    }
    this.cmkId = id;
    return this;
  }

  /**
   * CMKs that wrapped older branch-key versions and may still unwrap them: the CMKs this key id was
   * under before {@link #cmkId} was switched. A version wrapped under any other CMK is refused
   * (RS-1006 on read, RS-3003 when it is the ACTIVE version): a writer of the key-store table cannot
   * slip in a version wrapped under a CMK of their own.
   */
  public EnvelopeBuilder previousCmkIds(java.util.Collection<String> ids) {
    requireState(previousCmkIds.isEmpty(), "previous CMK ids were already set to %s", previousCmkIds);
    for (String id : ids) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("previous CMK ids must not be blank, were " + ids);
      }
    }
    this.previousCmkIds = java.util.Set.copyOf(ids);
    return this;
  }

  /** How long a plaintext branch key stays cached (default 5 minutes; refreshed ahead at 80%). */
  public EnvelopeBuilder branchKeyTtl(Duration ttl) {
    requireState(branchKeyTtl == null, "branch-key TTL was already set to %s", branchKeyTtl);
    this.branchKeyTtl = requirePositive(ttl, "branch-key TTL");
    return this;
  }

  /** How long an unwrapped row DEK stays cached for reads (default 5 minutes). */
  public EnvelopeBuilder dekCacheTtl(Duration ttl) {
    requireState(dekCacheTtl == null, "DEK cache TTL was already set to %s", dekCacheTtl);
    this.dekCacheTtl = requirePositive(ttl, "DEK cache TTL");
    return this;
  }

  /** How many unwrapped row DEKs are cached for reads (default 10,000; 0 disables the cache). */
  public EnvelopeBuilder dekCacheMaxSize(long size) {
    requireState(dekCacheMaxSize == -1, "DEK cache maximum size was already set to %s", dekCacheMaxSize);
    if (size < 0) {
      throw new IllegalArgumentException("DEK cache maximum size must not be negative, was " + size);
    }
    this.dekCacheMaxSize = size;
    return this;
  }

  /**
   * How often {@link Envelope#keyHealth()} may send its probe request to the KMS (default 30 seconds):
   * health polled every few seconds answers from the last probe in between, so it never costs more than
   * one KMS request per interval.
   */
  public EnvelopeBuilder healthProbeInterval(Duration interval) {
    requireState(healthProbeInterval == null, "health probe interval was already set to %s", healthProbeInterval);
    this.healthProbeInterval = requirePositive(interval, "health probe interval");
    return this;
  }

  /** How long the health probe waits for the KMS to answer before reporting it unreachable (default 5 s). */
  public EnvelopeBuilder healthProbeTimeout(Duration timeout) {
    requireState(healthProbeTimeout == null, "health probe timeout was already set to %s", healthProbeTimeout);
    this.healthProbeTimeout = requirePositive(timeout, "health probe timeout");
    return this;
  }

  /**
   * The time the caches expire by and health reports are stamped with (default the system clock). Tests
   * that let a cache lifetime pass without waiting set one they advance by hand.
   */
  public EnvelopeBuilder clock(InstantSource source) {
    requireState(clock == null, "clock was already set to %s", clock);
    this.clock = Objects.requireNonNull(source, "clock");
    return this;
  }

  /** The caches' ticker: the system's, or nanoseconds of {@link #clock} when one was set. */
  Ticker ticker() {
    if (clock == null) {
      return Ticker.systemTicker();
    }
    InstantSource source = clock;
    return () -> {
      Instant now = source.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /** Where keys, nonces and IVs come from. Only tests rebuilding golden vectors change it. */
  EnvelopeBuilder random(RandomSource source) {
    this.random = Objects.requireNonNull(source, "random");
    return this;
  }

  public Envelope build() {
    requireState(cmkProvider != null, "a CMK provider is required%s", "");
    requireState(store != null, "a branch-key store is required%s", "");
    if (branchKeyTtl == null) {
      branchKeyTtl = DEFAULT_BRANCH_KEY_TTL;
    }
    if (dekCacheTtl == null) {
      dekCacheTtl = DEFAULT_DEK_TTL;
    }
    if (dekCacheMaxSize == -1) {
      dekCacheMaxSize = DEFAULT_DEK_CACHE_SIZE;
    }
    if (random == null) {
      random = RandomSource.secure();
    }
    if (healthProbeInterval == null) {
      healthProbeInterval = DEFAULT_HEALTH_PROBE_INTERVAL;
    }
    if (healthProbeTimeout == null) {
      healthProbeTimeout = DEFAULT_HEALTH_PROBE_TIMEOUT;
    }
    return new Envelope(this);
  }

  private static Duration requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  private static void requireState(boolean ok, String format, Object arg) {
    if (!ok) {
      throw new IllegalStateException(String.format(format, arg));
    }
  }
}
