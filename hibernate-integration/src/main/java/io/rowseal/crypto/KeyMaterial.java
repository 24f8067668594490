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
   * writes no memory another thread reads. All are cleared (re-keyed with the zero key) when the bytes are
   * wiped, which happens only while no lease is open, that is while no thread uses one. Guarded by this.
   */
  private javax.crypto.Mac[] hmacs = NO_HMACS;
  private static final javax.crypto.Mac[] NO_HMACS = new javax.crypto.Mac[0];
  /** More threads than this deriving from one key use their thread's HMAC, keyed and cleared per use. */
  static final int MAX_HMACS = 64;
  /** The key this thread last derived from through a kept HMAC, and that HMAC. */
  private static final ThreadLocal<ThreadHmac> THREAD_HMAC = new ThreadLocal<>();

  private record ThreadHmac(KeyMaterial key, javax.crypto.Mac mac) {}

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
    ThreadHmac mine = THREAD_HMAC.get();
    if (mine != null && mine.key() == this) {
      return mine.mac();
    }
    javax.crypto.Mac m;
    synchronized (this) {
      if (hmacs.length >= MAX_HMACS) {
        return null;
      }
      m = Kbkdf.newMac();
      m.init(JcaKeys.view(lease.bytes(), "HmacSHA256"));
      javax.crypto.Mac[] more = Arrays.copyOf(hmacs, hmacs.length + 1);
      more[hmacs.length] = m;
      hmacs = more;
    }
    THREAD_HMAC.set(new ThreadHmac(this, m));
    return m;
  }

  /**
   * Ends a use of {@link #borrowHmac}'s HMAC. It stays with its thread and its key: the key's wipe clears it,
   * and the wipe waits for the lease the use was made under.
   */
  void giveBack(javax.crypto.Mac m) {
    // nothing to do: see above
  }

  /** How many HMACs this key keeps now (tests). */
  synchronized int heldHmacs() {
    return hmacs.length;
  }

  private synchronized void clearHmac() {
    for (javax.crypto.Mac m : hmacs) {
      JcaKeys.clear(m);
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
