package io.rowseal.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.AesGcmKey;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.crypto.DestroyedKeyException;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Row DEKs for reads: obtained from a row header (derived from the branch key, format 2, or unwrapped,
 * format 1), cached by (branch-key reference, N) with their initialised cipher, and per thread the last
 * row header read, so that a row's other values skip the cache. Keys are destroyed when they leave the
 * cache. Thread-safe.
 *
 * <p><b>Admission on second sight.</b> A row key obtained for the first time is not put into the cache:
 * most rows an application reads are read once (a query's result, a scan, a migration pass), and
 * inserting each into the bounded cache costs more than deriving it (an insert that evicts measured
 * ≈ 0.8 µs, a derivation ≈ 0.35 µs; benchmarks/README.md). A small direct-mapped table of fingerprints
 * remembers the keys missed once; the second miss of the same key caches it. A key not cached serves its
 * row through the thread's last-row memory and is destroyed when that thread reads another row; should the
 * thread stop, {@link Retired} destroys it once {@value Retired#SLOTS} further such keys have been obtained in
 * this envelope, or at {@link #close()}.
 */
final class RowKeys implements AutoCloseable {
  private static final int RETRIES = 3;
  private static final byte[] DEK_LABEL = ValueFormat.DEK_LABEL_V2.getBytes(StandardCharsets.UTF_8);

  final Cache<DekId, AesGcmKey> cache; // package-private: tests check eviction destroys keys
  private final BranchKeyCache branchKeys;
  private final DeriveKeyWrapper dekWrapperV1;
  private final boolean enabled;
  private final SeenOnce seenOnce;
  private final Retired retired = new Retired();
  private final ThreadLocal<LastRow> lastRow = ThreadLocal.withInitial(() -> new LastRow(retired));

  RowKeys(BranchKeyCache branchKeys, EnvelopeBuilder b, EnvelopeMetrics metrics) {
    this.branchKeys = branchKeys;
    this.dekWrapperV1 = new DeriveKeyWrapper(ValueFormat.DEK_WRAP_LABEL_V1, b.random);
    this.enabled = b.dekCacheMaxSize > 0;
    this.seenOnce = new SeenOnce(enabled ? b.dekCacheMaxSize : 1);
    this.cache = Caffeine.newBuilder()
        .ticker(b.ticker())
        .maximumSize(b.dekCacheMaxSize)
        .expireAfterWrite(b.dekCacheTtl)
        // Maintenance on the calling thread: an A/B of the Hibernate macro benchmark on 2 cores was
        // slower with Caffeine's default (ForkJoin) executor (mean 72 vs 55 µs per row on H2).
        // Evicted keys are destroyed during that maintenance; explicit removals as well.
        .executor(Runnable::run)
        .evictionListener((DekId id, AesGcmKey key, RemovalCause cause) -> {
          metrics.dekEvictions.increment();
          destroy(key);
        })
        .removalListener((DekId id, AesGcmKey key, RemovalCause cause) -> destroy(key))
        .build();
  }

  /** This thread's last row (see {@link LastRow}). */
  LastRow last() {
    return lastRow.get();
  }

  AesGcmKey cached(DekId id) {
    return cache.getIfPresent(id);
  }

  /**
   * Caches a freshly obtained DEK when it was obtained before (second sight), else retires it (destroyed
   * when the thread's last-row memory moves to another row, or a while later; meanwhile only that memory
   * can reach it); destroys it at once when the DEK cache is disabled.
   *
   * @return the retirement slot to hand to {@link LastRow#remember}, or {@code -1} (cached or destroyed)
   */
  int keep(DekId id, AesGcmKey dek) {
    if (!enabled) {
      dek.destroy();
      return -1;
    } else if (seenOnce.secondSight(id)) {
      cache.put(id, dek);
      return -1;
    } else {
      return retired.add(dek);
    }
  }

  /**
   * The DEK of the row header at {@code in[offset..]}: derived from the branch key (version 2) or
   * unwrapped (version 1); {@code what} names the header's owner in messages.
   */
  AesGcmKey obtain(ValueFormat.Parsed p, byte[] in, int offset, String what)
      throws IntegrityException {
    for (int attempt = 1; ; attempt++) {
      try {
        KeyMaterial branchKey = branchKeys.key(p.ref());
        int nonceOffset = offset + p.keyRefLength();
        if (p.version() == ValueFormat.VERSION_2) {
          return new AesGcmKey(
              Kbkdf.deriveFromCached(branchKey, DEK_LABEL, in, nonceOffset, ValueFormat.NONCE_LENGTH));
        }
        byte[] aad = Arrays.copyOfRange(in, offset, nonceOffset);
        return new AesGcmKey(dekWrapperV1.unwrap(branchKey, in, nonceOffset, ValueFormat.V1_DEK_LENGTH, aad));
      } catch (IntegrityException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("RS-")) {
          throw e;
        }
        throw new IntegrityException("RS-1000: " + what + " (branch key " + p.ref() + ") does not verify");
      } catch (DestroyedKeyException e) {
        if (attempt == RETRIES) {
          throw new IllegalStateException("branch key " + p.ref() + " kept leaving the cache", e);
        }
      }
    }
  }

  /**
   * Drops (and destroys) every cached DEK under branch-key version {@code version}, and every retired one
   * (they are not indexed by version; a retired key still needed is obtained again).
   */
  void forget(BranchKeyRef version) {
    retired.destroyAll();
    cache.asMap().keySet().removeIf(id -> id.ref().equals(version));
  }

  /** Destroys every cached and every retired key. */
  @Override
  public void close() {
    retired.destroyAll();
    cache.asMap().values().forEach(AesGcmKey::destroy);
    cache.invalidateAll();
    cache.cleanUp();
  }

  private static void destroy(AesGcmKey key) {
    if (key != null) {
      key.destroy();
    }
  }

  /**
   * Fingerprints of the row keys obtained once and not cached, direct-mapped (a slot per fingerprint's
   * low bits), about twice the cache's size (at least 1,024 and at most 65,536 slots). Racy by design: an
   * int write is atomic, and a lost or overwritten fingerprint only delays one admission, a coincidence
   * only hastens one.
   */
  static final class SeenOnce {
    private final int[] slots;

    SeenOnce(long cacheSize) {
      int wanted = (int) Math.min(1 << 16, Math.max(1 << 10, 2 * cacheSize));
      this.slots = new int[Integer.highestOneBit(wanted - 1) << 1];
    }

    /** Whether {@code id} was seen once before (and forgets it); else remembers it. */
    boolean secondSight(DekId id) {
      long h = id.nonceHigh() ^ Long.rotateLeft(id.nonceLow(), 29) ^ id.ref().hashCode();
      int fingerprint = (int) (h ^ (h >>> 32)) | 1; // 0 marks an empty slot
      int slot = (int) (h >>> 40) & (slots.length - 1);
      if (slots[slot] == fingerprint) {
        slots[slot] = 0;
        return true;
      }
      slots[slot] = fingerprint;
      return false;
    }
  }

  /**
   * Row keys not cached, destroyed {@value #SLOTS} retirements later: long enough for the thread that
   * obtained one to finish its row (its other values and its footer, through the last-row memory, even
   * with many threads reading at once), short enough that no key outlives the traffic after it, and that
   * the key zeroed is likely still in the CPU's caches. A key
   * destroyed while a thread still reads its row is obtained again by that thread
   * ({@link DestroyedKeyException}), as after an eviction.
   */
  static final class Retired {
    static final int SLOTS = 256;
    private final AtomicReferenceArray<AesGcmKey> ring =
        new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger next = new AtomicInteger();

    /** Retires {@code key}, destroying the one retired {@value #SLOTS} retirements ago; returns its slot. */
    int add(AesGcmKey key) {
      int slot = next.getAndIncrement() & (SLOTS - 1);
      AesGcmKey old = ring.getAndSet(slot, key);
      if (old != null) {
        old.destroy();
      }
      return slot;
    }

    /**
     * Destroys {@code key} now, retired at {@code slot}, and frees the slot (while the key's memory is still
     * in the CPU's caches; the ring then never touches it again). A slot already reused: the ring destroyed it.
     */
    void release(int slot, AesGcmKey key) {
      if (ring.compareAndSet(slot, key, null)) {
        key.destroy();
      }
    }

    void destroyAll() {
      for (int i = 0; i < SLOTS; i++) {
        AesGcmKey old = ring.getAndSet(i, null);
        if (old != null) {
          old.destroy();
        }
      }
    }
  }

  /**
   * One thread's memory of the last row header it read and that row's key. The header is compared
   * byte for byte (it is public); a match means the same branch-key reference and N, hence the same
   * DEK, so the row's other values skip parsing and the cache. The key may be evicted (destroyed)
   * meanwhile: using it then fails with {@link DestroyedKeyException} and the caller looks it up again.
   */
  static final class LastRow {
    private final byte[] header = new byte[3 + BranchKeyRef.MAX_KEY_ID_LENGTH + 4 + ValueFormat.V1_DEK_LENGTH];
    private final Retired retired;
    int headerLength;
    DekId id;
    AesGcmKey dek;
    /** The retirement slot of {@link #dek} when this memory is all that reaches it, else -1. */
    private int retiredSlot = -1;
    /** The owning thread's {@link io.rowseal.crypto.AesGcm#threadCipher()}: one thread-local lookup less per value. */
    final javax.crypto.Cipher threadCipher = io.rowseal.crypto.AesGcm.threadCipher();
    /**
     * The UTF-8 of the attribute names this thread read last, found by identity: the Hibernate integration
     * passes the same {@code String} for an attribute every time, so a row's values skip encoding their names.
     * Read only (callers copy them into the AAD).
     */
    private final String[] names = new String[NAMES];
    private final byte[][] nameBytes = new byte[NAMES][];
    private int nextName;
    private static final int NAMES = 8;

    LastRow(Retired retired) {
      this.retired = retired;
    }

    /** {@code attribute} in UTF-8: remembered for the last {@value #NAMES} names (by identity), else encoded. */
    byte[] utf8(String attribute) {
      for (int i = 0; i < NAMES; i++) {
        if (names[i] == attribute) {
          return nameBytes[i];
        }
      }
      byte[] bytes = attribute.getBytes(StandardCharsets.UTF_8);
      names[nextName] = attribute;
      nameBytes[nextName] = bytes;
      nextName = (nextName + 1) & (NAMES - 1);
      return bytes;
    }

    /** Whether {@code in[offset..]} starts with the remembered header and has {@code trailer} bytes more. */
    boolean matches(byte[] in, int offset, int trailer) {
      int n = headerLength;
      return dek != null && in.length >= offset + n + trailer
          && Arrays.equals(header, 0, n, in, offset, offset + n);
    }

    /**
     * Remembers the row of {@code key}; {@code slot} is its retirement slot if it is not cached, else -1. A
     * retired key remembered before is destroyed now: this thread has moved on to another row.
     */
    void remember(byte[] in, int offset, ValueFormat.Parsed p, DekId dekId, AesGcmKey key, int slot) {
      if (retiredSlot >= 0 && dek != key) {
        retired.release(retiredSlot, dek);
      }
      System.arraycopy(in, offset, header, 0, p.headerLength());
      headerLength = p.headerLength();
      id = dekId;
      dek = key;
      retiredSlot = slot;
    }

    void clear() {
      if (retiredSlot >= 0) {
        retired.release(retiredSlot, dek);
      }
      dek = null;
      id = null;
      headerLength = 0;
      retiredSlot = -1;
    }
  }
}
