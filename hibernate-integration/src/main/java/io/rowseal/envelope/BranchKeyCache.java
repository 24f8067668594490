package io.rowseal.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.audit.Audit;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.BranchKeyStatus;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.keystore.KeyStoreException;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Plaintext branch keys, unwrapped through the CMK once per cache lifetime: the reason a row write
 * costs no KMS request. Keys by (key id, version), time-limited, refreshed ahead of expiry; bytes are
 * destroyed when they leave the cache (callers holding a lease finish first, see {@link KeyMaterial}).
 * Also caches which version is ACTIVE, re-read from the store periodically so that a rotation by
 * another process is picked up. A reference the store does not hold, or holds destroyed, is remembered
 * briefly ({@link #REFUSED_TTL}, at most {@link #REFUSED_MAX} references), so that many values naming
 * it cost one store read, not one each. Thread-safe.
 */
final class BranchKeyCache {
  static final String CONTEXT_KEY_ID = "rowseal:branch-key-id";
  static final String CONTEXT_VERSION = "rowseal:branch-key-version";
  /** Binds the wrapping CMK's id into versions created since rowseal 0.3 (older ones are read without it). */
  static final String CONTEXT_CMK_ID = "rowseal:cmk-id";

  private final BranchKeyStore store;
  private final CmkProvider cmk;
  private final String keyId;
  private final EnvelopeMetrics metrics;
  private volatile String cmkId;
  private final java.util.Set<String> previousCmkIds;
  /** Per key id, the newest version this process has used: the ACTIVE version never goes back below it. */
  private final java.util.concurrent.ConcurrentMap<String, Integer> newestUsed =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Versions wrapped before the CMK id joined the context, so their refresh needs one KMS call, not two. */
  private final java.util.Set<BranchKeyRef> unboundContext = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final LoadingCache<BranchKeyRef, KeyMaterial> keys;
  private final LoadingCache<String, BranchKeyRef> active;
  /**
   * Negative cache. Short-lived because a version unknown here may be created by another process's
   * rotation; this process's own rotation forgets it at once. Holds no key material.
   */
  private final Cache<BranchKeyRef, Refusal> refused;

  static final Duration REFUSED_TTL = Duration.ofSeconds(10);
  static final int REFUSED_MAX = 1_000;

  private enum Refusal { ABSENT, DESTROYED }

  /**
   * How long a row write may use the ACTIVE version of this cache's own key id and its plaintext as last
   * looked up, without looking them up again ({@link #knownWriteKey()}): two Caffeine lookups and their clock
   * reads less per row write, and one less per read of a row whose key is not cached, when it is under that
   * version. A rotation or destruction by this process ends it at once; one by another process is seen up to
   * this much later than the ACTIVE cache's own refresh would see it; an expired or evicted key is destroyed by
   * its cache and so never used.
   */
  static final long WRITE_KEY_NANOS = 100_000_000L;

  /**
   * The ACTIVE version of this cache's own key id and its plaintext, usable until {@code until} (ticker time)
   * while no rotation, destruction or invalidation has happened since {@code epoch} was read (before the
   * lookup that made it).
   */
  record WriteKey(BranchKeyRef ref, KeyMaterial key, long until, int epoch) {}

  private volatile WriteKey writeKey;
  /** Advanced after every change of what is ACTIVE or cached: a write key made before it is not used. */
  private final java.util.concurrent.atomic.AtomicInteger epoch = new java.util.concurrent.atomic.AtomicInteger();
  private final Ticker ticker;

  /** Every version of branch key {@code id}, as the store holds them. */
  java.util.List<BranchKeyRecord> versions(String id) {
    return store.versions(id);
  }

  BranchKeyCache(BranchKeyStore store, CmkProvider cmk, String keyId, String cmkId,
      java.util.Set<String> previousCmkIds, Duration ttl, EnvelopeMetrics metrics, Ticker ticker) {
    this.store = store;
    this.cmk = cmk;
    this.keyId = keyId;
    this.cmkId = cmkId;
    this.previousCmkIds = java.util.Set.copyOf(previousCmkIds);
    this.metrics = metrics;
    this.ticker = ticker;
    this.keys = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(1_000)
        .expireAfterWrite(ttl)
        .refreshAfterWrite(ttl.multipliedBy(4).dividedBy(5))
        .removalListener((BranchKeyRef ref, KeyMaterial key, RemovalCause cause) -> {
          if (cause.wasEvicted()) {
            metrics.branchKeyEvictions.increment();
          }
          if (key != null) {
            key.destroy();
          }
        })
        .build(this::unwrap);
    this.active = Caffeine.newBuilder()
        .ticker(ticker)
        .refreshAfterWrite(ttl.dividedBy(5).isZero() ? ttl : ttl.dividedBy(5))
        .build(this::loadActive);
    this.refused = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(REFUSED_MAX)
        .expireAfterWrite(ttl.compareTo(REFUSED_TTL) < 0 ? ttl : REFUSED_TTL)
        .build();
  }

  /** The ACTIVE branch key's reference, creating version 1 on first use. */
  BranchKeyRef activeRef() {
    return active.get(keyId);
  }

  /** The ACTIVE version of branch key {@code id} (a tenant's), creating version 1 on first use. */
  BranchKeyRef activeRef(String id) {
    return active.get(id);
  }

  /**
   * The ACTIVE version of this cache's own key id and its plaintext as a row write last looked them up, while
   * that is younger than {@link #WRITE_KEY_NANOS}, nothing changed since and its key is not destroyed (counted
   * as a branch-key hit); else {@code null}: look them up and {@link #rememberWriteKey remember} them.
   */
  WriteKey knownWriteKey() {
    WriteKey known = validWriteKey();
    if (known != null) {
      metrics.branchKeyHits.increment();
    }
    return known;
  }

  private WriteKey validWriteKey() {
    WriteKey known = writeKey;
    return known != null && known.epoch() == epoch.get() && ticker.read() - known.until() < 0
        && !known.key().isDestroyed() ? known : null;
  }

  /** The current epoch: read it before looking up what {@link #rememberWriteKey} is to remember. */
  int epoch() {
    return epoch.get();
  }

  /**
   * Remembers {@code ref}, the ACTIVE version of this cache's own key id, and its plaintext {@code key}, as
   * looked up after {@link #epoch()} answered {@code before}.
   */
  void rememberWriteKey(BranchKeyRef ref, KeyMaterial key, int before) {
    writeKey = new WriteKey(ref, key, ticker.read() + WRITE_KEY_NANOS, before);
  }

  /** Ends every write key made so far: the next row write looks the ACTIVE version up again. */
  private void changed() {
    epoch.incrementAndGet();
    writeKey = null;
  }

  /** The plaintext branch key for {@code ref}. */
  KeyMaterial key(BranchKeyRef ref) throws IntegrityException {
    // most rows read are under the ACTIVE version: the remembered write key serves them too
    WriteKey known = validWriteKey();
    if (known != null && (known.ref() == ref || known.ref().equals(ref))) {
      metrics.branchKeyHits.increment();
      return known.key();
    }
    KeyMaterial k = keys.getIfPresent(ref);
    if (k != null) {
      metrics.branchKeyHits.increment();
      return k;
    }
    metrics.branchKeyMisses.increment();
    Refusal refusal = refused.getIfPresent(ref);
    if (refusal != null) {
      throw refusal == Refusal.ABSENT ? absent(ref) : destroyed(ref);
    }
    try {
      return keys.get(ref);
    } catch (CompletionException e) {
      if (e.getCause() instanceof IntegrityException ie) {
        throw ie;
      }
      throw e;
    }
  }

  /** Adds a new ACTIVE version and makes this process use it at once. */
  BranchKeyRef rotate() {
    return rotate(keyId);
  }

  /** Adds a new ACTIVE version of branch key {@code id} and makes this process use it at once. */
  BranchKeyRef rotate(String id) {
    Map<BranchKeyRef, DataKey> made = new HashMap<>();
    BranchKeyRecord record = store.rotate(id, cmkId(), wrapNew(made));
    adopt(record, made);
    audit(record.ref().version() == 1 ? Audit.BRANCH_KEY_CREATED : Audit.BRANCH_KEY_ROTATED, record);
    refused.invalidate(record.ref());
    used(record.ref());
    active.put(id, record.ref());
    changed();
    return record.ref();
  }

  /** Crypto-shreds one version. */
  void destroy(BranchKeyRef ref) {
    store.destroy(ref);
    Audit.emit(Audit.BRANCH_KEY_DESTROYED, "keyId", ref.keyId(), "version", Integer.toString(ref.version()));
    keys.invalidate(ref);
    active.invalidate(ref.keyId());
    changed();
  }

  /**
   * The ACTIVE version of this cache's own key id as last loaded, or {@code null} before first use. Reads
   * neither the store nor the KMS, and triggers no refresh: for health checks.
   */
  BranchKeyRef knownActiveRef() {
    return active.policy().getIfPresentQuietly(keyId);
  }

  /**
   * How much longer the plaintext of {@code ref} stays cached, or empty if it is not cached (never loaded,
   * expired, evicted). Counts no hit or miss and calls no KMS: for health checks.
   */
  Optional<Duration> cachedFor(BranchKeyRef ref) {
    if (keys.policy().getIfPresentQuietly(ref) == null) {
      return Optional.empty();
    }
    return keys.policy().expireAfterWrite()
        .flatMap(expiry -> expiry.ageOf(ref).map(age -> expiry.getExpiresAfter().minus(age)))
        .filter(left -> !left.isNegative() && !left.isZero());
  }

  /**
   * The CMK new versions are wrapped under, as far as known without a KMS call: the configured one, else
   * that of the stored ACTIVE version; {@code null} before the first version exists.
   */
  String knownCmkId() {
    String id = cmkId;
    return id != null ? id : store.findActive(keyId).map(BranchKeyRecord::cmkId).orElse(null);
  }

  void invalidateAll() {
    keys.invalidateAll();
    refused.invalidateAll();
    active.invalidateAll();
    changed();
  }

  String keyId() {
    return keyId;
  }

  /**
   * The ACTIVE version, trusted only if it is the newest version the store holds, wrapped under a
   * pinned CMK, and not older than one this process has used: a writer of the key-store table who
   * re-activates an old version (to have new rows written under a key of their choosing) or adds one
   * wrapped under their own CMK is refused with RS-3003 instead of being followed.
   */
  private BranchKeyRef loadActive(String id) {
    BranchKeyRecord record = readActive(id);
    Integer newest = newestUsed.get(id);
    if (newest != null && newest > record.ref().version()) {
      // A rotation by this process may have committed after this read began (a background refresh racing
      // rotate()): read once more; a store that still shows an older version went back and is refused.
      record = readActive(id);
    }
    used(record.ref());
    return record.ref();
  }

  /** The ACTIVE version as the store holds it (created on first use), checked but not yet marked used. */
  private BranchKeyRecord readActive(String id) {
    java.util.List<BranchKeyRecord> versions = store.versions(id);
    BranchKeyRecord record;
    if (versions.isEmpty()) {
      Map<BranchKeyRef, DataKey> made = new HashMap<>();
      record = store.createIfAbsent(id, cmkId(), wrapNew(made));
      if (adopt(record, made)) {
        audit(Audit.BRANCH_KEY_CREATED, record);
      }
      refused.invalidate(record.ref());
    } else {
      record = versions.get(versions.size() - 1);
      long activeCount = versions.stream().filter(v -> v.status() == BranchKeyStatus.ACTIVE).count();
      if (record.status() != BranchKeyStatus.ACTIVE || activeCount != 1) {
        throw KeyStoreException.refused(id, "its newest version " + record.ref().version() + " is "
            + record.status() + " and " + activeCount + " version(s) are ACTIVE; only the newest version may be"
            + " ACTIVE (rotations add a version, they never re-activate one)");
      }
    }
    if (!pinned(record.cmkId())) {
      throw KeyStoreException.refused(id, "its ACTIVE version " + record.ref().version() + " is wrapped under CMK '"
          + record.cmkId() + "', which is not " + pinnedDescription());
    }
    return record;
  }

  /** Records that {@code ref} is in use; refuses it if this process already used a newer version. */
  private void used(BranchKeyRef ref) {
    int newest = newestUsed.merge(ref.keyId(), ref.version(), Math::max);
    if (newest > ref.version()) {
      throw KeyStoreException.refused(ref.keyId(), "its ACTIVE version went back from " + newest + " to "
          + ref.version() + " (versions are never removed; the table was rolled back or altered)");
    }
  }

  private boolean pinned(String id) {
    return id.equals(cmkId()) || previousCmkIds.contains(id);
  }

  private String pinnedDescription() {
    return "the configured CMK '" + cmkId() + "'" + (previousCmkIds.isEmpty()
        ? " (list CMKs this key id was under before in rowseal.previous-cmk-ids)"
        : " nor one of the previous CMKs " + new java.util.TreeSet<>(previousCmkIds));
  }

  /** New branch keys come from the CMK's generate-data-key: one call gives plaintext and wrap. */
  private Function<BranchKeyRef, byte[]> wrapNew(Map<BranchKeyRef, DataKey> made) {
    return ref -> {
      metrics.cmkCalls.increment();
      DataKey dk = cmk.generateDataKey(cmkId(), context(ref, cmkId()));
      DataKey previous = made.put(ref, dk);
      if (previous != null) {
        previous.plaintext().destroy();
      }
      return dk.wrapped();
    };
  }

  /**
   * Keeps the plaintext of the version the store kept (saves an unwrap); destroys the others. Whether
   * the stored version is the one this process made.
   */
  private boolean adopt(BranchKeyRecord record, Map<BranchKeyRef, DataKey> made) {
    DataKey mine = made.remove(record.ref());
    made.values().forEach(dk -> dk.plaintext().destroy());
    if (mine == null) {
      return false;
    }
    // Ours only if the stored wrap is the one we made: a concurrent writer may have won this version.
    if (java.util.Arrays.equals(mine.wrapped(), record.wrappedKey())) {
      keys.asMap().putIfAbsent(record.ref(), mine.plaintext());
      return true;
    }
    mine.plaintext().destroy();
    return false;
  }

  private static void audit(String event, BranchKeyRecord record) {
    Audit.emit(event, "keyId", record.ref().keyId(), "version", Integer.toString(record.ref().version()),
        "cmkId", record.cmkId());
  }

  /** The CMK that wrapped {@code ref}, if the store holds that version. */
  java.util.Optional<String> cmkIdOf(BranchKeyRef ref) {
    return store.find(ref).map(BranchKeyRecord::cmkId);
  }

  private KeyMaterial unwrap(BranchKeyRef ref) throws IntegrityException {
    Optional<BranchKeyRecord> found = store.find(ref);
    if (found.isEmpty()) {
      refused.put(ref, Refusal.ABSENT);
      throw absent(ref);
    }
    BranchKeyRecord record = found.get();
    if (record.status() == BranchKeyStatus.DESTROYED) {
      refused.put(ref, Refusal.DESTROYED);
      throw destroyed(ref);
    }
    if (!pinned(record.cmkId())) {
      throw new IntegrityException("RS-1006: branch key " + ref + " is wrapped under CMK '" + record.cmkId()
          + "', which is not " + pinnedDescription());
    }
    metrics.cmkCalls.increment();
    if (unboundContext.contains(ref)) {
      return cmk.unwrap(record.cmkId(), record.wrappedKey(), context(ref));
    }
    try {
      return cmk.unwrap(record.cmkId(), record.wrappedKey(), context(ref, record.cmkId()));
    } catch (IntegrityException bound) {
      // Made before the CMK id joined the context. Reading it that way gives a writer of the table
      // nothing: the CMK is pinned above, and only that CMK's holder could have made the wrap.
      metrics.cmkCalls.increment();
      KeyMaterial key = cmk.unwrap(record.cmkId(), record.wrappedKey(), context(ref));
      unboundContext.add(ref);
      return key;
    }
  }

  private static IntegrityException absent(BranchKeyRef ref) {
    return new IntegrityException("RS-1003: value names branch key " + ref + ", which the key store does not hold");
  }

  private static KeyDestroyedException destroyed(BranchKeyRef ref) {
    return new KeyDestroyedException("RS-1004: branch key " + ref
        + " was destroyed (crypto-shredded); values under it are unreadable");
  }

  private String cmkId() {
    String id = cmkId;
    if (id == null) {
      synchronized (this) {
        id = cmkId;
        if (id == null) {
          id = store.findActive(keyId).map(BranchKeyRecord::cmkId).orElse(null);
          if (id == null) {
            metrics.cmkCalls.increment();
            id = cmk.createKey("rowseal branch keys for '" + keyId + "'").cmkId();
          }
          cmkId = id;
        }
      }
    }
    return id;
  }

  /** The context of every version created since the CMK id was bound into it. */
  static EncryptionContext context(BranchKeyRef ref, String cmkId) {
    return EncryptionContext.of(Map.of(CONTEXT_KEY_ID, ref.keyId(), CONTEXT_VERSION, Integer.toString(ref.version()),
        CONTEXT_CMK_ID, cmkId));
  }

  /** The context of versions created before the CMK id was bound into it. */
  static EncryptionContext context(BranchKeyRef ref) {
    return EncryptionContext.of(CONTEXT_KEY_ID, ref.keyId(), CONTEXT_VERSION, Integer.toString(ref.version()));
  }
}
