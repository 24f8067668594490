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
  private static final VarHandle HMACS;

  static {
    try {
      LEASES = MethodHandles.lookup().findVarHandle(KeyMaterial.class, "leases", int.class);
      HMACS = MethodHandles.lookup().findVarHandle(KeyMaterial.class, "hmacs", KeptHmacs.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Number of active leases; very negative once destroyed (a field, not an AtomicInteger: one object less per use). */
  private volatile int leases;
  private volatile SecretKey aesKey;
  /**
   * HMAC-SHA256s keyed with these bytes, kept for repeated derivations from this key
   * ({@link Kbkdf#deriveFromCached}), made on first use; cleared (re-keyed with the zero key) when the bytes
   * are wiped.
   */
  private volatile KeptHmacs hmacs;

  /**
   * Up to {@value #SLOTS} HMACs, one per thread deriving at the same moment: a thread borrows one with
   * getAndSet(null) and gives it back; more threads at once than slots use their thread's HMAC.
   */
  private static final class KeptHmacs {
    static final int SLOTS = 4;
    final java.util.concurrent.atomic.AtomicReferenceArray<javax.crypto.Mac> slots =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(SLOTS);
    final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();

    void clearAll() {
      for (int i = 0; i < SLOTS; i++) {
        javax.crypto.Mac m = slots.getAndSet(i, null);
        if (m != null) {
          JcaKeys.clear(m);
        }
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
   * The HMAC kept with this key, taken out of it, or {@code null} if another thread holds it; made on the
   * first call. The caller holds a lease and gives it back with {@link #giveBack}.
   */
  javax.crypto.Mac borrowHmac(Lease lease) throws java.security.InvalidKeyException {
    KeptHmacs kept = hmacs;
    if (kept == null) {
      HMACS.compareAndSet(this, (KeptHmacs) null, new KeptHmacs());
      kept = hmacs;
    }
    for (int i = 0; i < KeptHmacs.SLOTS; i++) {
      javax.crypto.Mac m = kept.slots.getAndSet(i, null);
      if (m != null) {
        return m;
      }
    }
    int made = kept.made.get();
    if (made < KeptHmacs.SLOTS && kept.made.compareAndSet(made, made + 1)) {
      javax.crypto.Mac m = Kbkdf.newMac();
      m.init(JcaKeys.view(lease.bytes(), "HmacSHA256"));
      return m;
    }
    return null;
  }

  /** Gives back a borrowed HMAC; clears it instead if the key was destroyed meanwhile. */
  void giveBack(javax.crypto.Mac m) {
    KeptHmacs kept = hmacs;
    boolean placed = false;
    for (int i = 0; i < KeptHmacs.SLOTS && !placed; i++) {
      placed = kept.slots.compareAndSet(i, null, m);
    }
    if (!placed) {
      JcaKeys.clear(m);
    }
    if (isDestroyed()) { // destroyed while we held it: the wipe found it out of its slot
      kept.clearAll();
    }
  }

  /** How many HMACs this key keeps now (tests). */
  int heldHmacs() {
    KeptHmacs kept = hmacs;
    int n = 0;
    for (int i = 0; kept != null && i < KeptHmacs.SLOTS; i++) {
      n += kept.slots.get(i) != null ? 1 : 0;
    }
    return n;
  }

  private void clearHmac() {
    KeptHmacs kept = hmacs;
    if (kept != null) {
      kept.clearAll();
    }
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
