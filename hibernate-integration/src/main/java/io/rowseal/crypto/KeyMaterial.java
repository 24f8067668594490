package io.rowseal.crypto;

import java.util.Arrays;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import javax.crypto.SecretKey;

/**
 * Secret key bytes with an explicit, greppable access path and a {@code toString()} that never shows
 * them.
 *
 * <p>Key material can be destroyed (zeroed) while other threads still use it, for example when a
 * cache evicts it: {@link #destroy()} only marks it, and the bytes are zeroed once the last
 * {@link #lease() lease} is released. Code that reads the bytes therefore holds a lease for exactly as
 * long as it reads them; {@link #lease()} fails once the key is destroyed. Thread-safe.
 */
public final class KeyMaterial {
  private static final int DESTROYED = Integer.MIN_VALUE / 2;

  private final byte[] bytes;
  private static final VarHandle LEASES;

  static {
    try {
      LEASES = MethodHandles.lookup().findVarHandle(KeyMaterial.class, "leases", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Number of active leases; very negative once destroyed (a field, not an AtomicInteger: one object less per use). */
  private volatile int leases;
  private volatile SecretKey aesKey;
  /**
   * HMAC-SHA256s keyed with these bytes, one per thread that derived from this key
   * ({@link Kbkdf#deriveFromCached}); each thread finds its own through {@link #THREAD_HMAC}, so a derivation
   * writes no memory another thread reads: it takes no lease ({@link #beginKept}), only marks its own HMAC busy.
   * All are cleared (re-keyed with the zero key) when the bytes are wiped; one busy at that moment is cleared by
   * its thread when it ends its use ({@link #endKept}). Guarded by this.
   */
  private KeptHmac[] hmacs = NO_HMACS;
  private static final KeptHmac[] NO_HMACS = new KeptHmac[0];
  /** More threads than this deriving from one key use their thread's HMAC, keyed and cleared per use. */
  static final int MAX_HMACS = 64;
  /** The key this thread last derived from through a kept HMAC, and that HMAC. */
  private static final ThreadLocal<KeptHmac> THREAD_HMAC = new ThreadLocal<>();

  /**
   * One thread's HMAC kept with a key. {@code busy} is written by that thread only (1 while it computes with the
   * HMAC outside a lease); {@code cleared} makes the clearing happen once, by the wipe or by that thread.
   */
  static final class KeptHmac {
    private static final VarHandle CLEARED;

    static {
      try {
        CLEARED = MethodHandles.lookup().findVarHandle(KeptHmac.class, "cleared", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final KeyMaterial key;
    private final javax.crypto.Mac mac;
    private volatile int busy;
    private volatile int cleared;

    private KeptHmac(KeyMaterial key, javax.crypto.Mac mac) {
      this.key = key;
      this.mac = mac;
    }

    javax.crypto.Mac mac() {
      return mac;
    }

    private void clearOnce() {
      if (CLEARED.compareAndSet(this, 0, 1)) {
        JcaKeys.clear(mac);
      }
    }
  }

  private KeyMaterial(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller should zero its own copy. */
  public static KeyMaterial copyOf(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("key material must not be empty");
    }
    return new KeyMaterial(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying (internal hot path). */
  static KeyMaterial adopt(byte[] bytes) {
    return new KeyMaterial(bytes);
  }

  /** A fresh random 256-bit key, drawn as key material ({@link RandomSource#nextKeyBytes}). */
  public static KeyMaterial random256Of(RandomSource random) {
    byte[] b = new byte[32];
    random.nextKeyBytes(b);
    return new KeyMaterial(b);
  }

  public int length() {
    return bytes.length;
  }

  /**
   * Grants read access to the bytes until {@link Lease#close()}.
   *
   * @throws DestroyedKeyException if the key was destroyed
   */
  public Lease lease() {
    while (true) {
      int n = leases;
      if (n < 0) {
        throw new DestroyedKeyException();
      }
      if (LEASES.compareAndSet(this, n, n + 1)) {
        return lease;
      }
    }
  }

  /** A copy of the raw bytes: the one explicit way out. The caller owns and must zero the copy. */
  public byte[] copyBytes() {
    try (Lease l = lease()) {
      return l.bytes().clone();
    }
  }

  /** Marks the key destroyed; its bytes are zeroed as soon as no lease is open. Idempotent. */
  public void destroy() {
    while (true) {
      int n = leases;
      if (n < 0) {
        return;
      }
      if (LEASES.compareAndSet(this, n, n + DESTROYED)) {
        if (n == 0) {
          wipe();
        }
        return;
      }
    }
  }

  public boolean isDestroyed() {
    return leases < 0;
  }

  private void release() {
    if ((int) LEASES.getAndAdd(this, -1) - 1 == DESTROYED) {
      wipe();
    }
  }

  private void wipe() {
    Arrays.fill(bytes, (byte) 0);
    aesKey = null;
    clearHmac();
  }

  /**
   * The calling thread's HMAC kept with this key, made (and kept) on the thread's first call, or {@code null}
   * if {@value #MAX_HMACS} threads already have one. The caller holds a lease while it uses it, and gives it
   * back with {@link #giveBack}.
   */
  javax.crypto.Mac borrowHmac(Lease lease) throws java.security.InvalidKeyException {
    KeptHmac mine = THREAD_HMAC.get();
    if (mine != null && mine.key == this) {
      return mine.mac;
    }
    KeptHmac made;
    synchronized (this) {
      if (hmacs.length >= MAX_HMACS) {
        return null;
      }
      javax.crypto.Mac m = Kbkdf.newMac();
      m.init(JcaKeys.view(lease.bytes(), "HmacSHA256"));
      made = new KeptHmac(this, m);
      KeptHmac[] more = Arrays.copyOf(hmacs, hmacs.length + 1);
      more[hmacs.length] = made;
      hmacs = more;
    }
    THREAD_HMAC.set(made);
    return made.mac;
  }

  /**
   * Ends a use of {@link #borrowHmac}'s HMAC. It stays with its thread and its key: the key's wipe clears it,
   * and the wipe waits for the lease the use was made under.
   */
  void giveBack(javax.crypto.Mac m) {
    // nothing to do: see above
  }

  /**
   * Begins a use of the calling thread's kept HMAC without a lease: two threads deriving from one key then
   * write no common memory (a lease is an atomic update of this key's counter, whose cache line two writing
   * threads would pass between their cores twice per row). Returns {@code null} when this thread keeps no HMAC
   * for this key yet, or the key is destroyed: the caller then takes the leased path, which registers the HMAC
   * or reports the destruction. Pair with {@link #endKept}.
   *
   * <p>Why no lease is needed: the thread marks its HMAC busy, then reads whether the key is destroyed; the wipe
   * marks the key destroyed, then reads each HMAC's mark and clears only those not busy (all volatile, so in one
   * order): either this thread sees the key destroyed and backs out, or the wipe sees the HMAC busy and leaves
   * it to {@link #endKept}. A derivation that began before the destruction ends with the key it began with, as a
   * leased one would.
   */
  KeptHmac beginKept() {
    KeptHmac mine = THREAD_HMAC.get();
    if (mine == null || mine.key != this) {
      return null;
    }
    mine.busy = 1;
    if (leases < 0) {
      mine.busy = 0;
      mine.clearOnce(); // the wipe may have seen it busy and left it
      return null;
    }
    return mine;
  }

  /** Ends a use begun by {@link #beginKept}; clears the HMAC if the key was destroyed meanwhile. */
  void endKept(KeptHmac mine) {
    mine.busy = 0;
    if (leases < 0) {
      mine.clearOnce();
    }
  }

  /** How many HMACs this key keeps now (tests). */
  synchronized int heldHmacs() {
    return hmacs.length;
  }

  private synchronized void clearHmac() {
    for (KeptHmac h : hmacs) {
      if (h.busy == 0) {
        h.clearOnce();
      } // else its thread is computing with it, and clears it when it ends (endKept)
    }
    hmacs = NO_HMACS;
  }


  /** Constant-time comparison of the key bytes. */
  public boolean sameKeyAs(KeyMaterial other) {
    try (Lease a = lease(); Lease b = other.lease()) {
      return java.security.MessageDigest.isEqual(a.bytes(), b.bytes());
    }
  }

  @Override
  public String toString() {
    return "KeyMaterial(" + bytes.length + " bytes, redacted)";
  }

  /** Read access to the bytes of a {@link KeyMaterial}; must be closed. Do not keep the array. */
  public final class Lease implements AutoCloseable {
    private Lease() {}

    public byte[] bytes() {
      return bytes;
    }

    /**
     * The bytes as a JCA AES key, built once per key: a view of these bytes, not a copy, so that
     * destroying the key leaves no key bytes in it ({@link JcaKeys#view}).
     */
    SecretKey aesKey() {
      SecretKey k = aesKey;
      if (k == null) {
        k = JcaKeys.view(bytes, "AES");
        aesKey = k;
      }
      return k;
    }

    @Override
    public void close() {
      release();
    }

    @Override
    public String toString() {
      return "KeyMaterial.Lease(redacted)";
    }
  }

  private final Lease lease = new Lease();
}
