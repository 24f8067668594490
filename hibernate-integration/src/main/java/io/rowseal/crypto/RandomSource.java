package io.rowseal.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomParameters;

/**
 * Where keys, nonces and IVs come from. The default draws everything that makes or selects a key with
 * fresh entropy from the operating system in every draw: key material, each row write's {@code N} (it
 * makes the row's DEK), derive-key nonces (they make one-time wrapping keys) and IVs under long-lived keys
 * (EKTs under a domain key) are bytes read from {@code /dev/urandom} at the time of the draw (one
 * unbuffered {@code read}), XORed with bytes of the thread's Hash_DRBG; where the operating system has no
 * {@code /dev/urandom}, a Hash_DRBG at 256-bit strength drawn with prediction resistance (reseeded from
 * the operating system's entropy before the draw) serves instead. So two copies of one process (a restored
 * snapshot, a cloned VM) diverge at their next such draw.
 * Field IVs under a row's fresh DEK come from a per-thread block of a DRBG without prediction
 * resistance: in a copy they may repeat the original's, but under a different DEK. Tests substitute a
 * deterministic source to rebuild golden vectors; production code has no reason to.
 */
@FunctionalInterface
public interface RandomSource {

  /** Fills {@code out} with random bytes (nonces, IVs). */
  void nextBytes(byte[] out);

  /**
   * Fills {@code out} with key material, or with a value that makes or selects a key ({@code N}, a
   * derive-key nonce, an IV under a long-lived key). The default source reads fresh entropy from the
   * operating system for each such draw (about 0.5 µs, once per row write; with prediction resistance from a
   * DRBG where there is no {@code /dev/urandom}: about 1.5 µs). Other sources draw as {@link #nextBytes}.
   */
  default void nextKeyBytes(byte[] out) {
    nextBytes(out);
  }

  /** The default: a thread-local DRBG seeded from the operating system. */
  static RandomSource secure() {
    return SecureSource.INSTANCE;
  }

  /**
   * Thread-local DRBG instances (one generator lock per thread, none shared), each drawn in blocks.
   *
   * <p>Why blocks: a row write needs five small draws (DEK, nonce, one IV per value), and every
   * {@code DRBG.nextBytes} call costs a fixed ~0.4 µs (lock, reseed check, state update) — more than
   * half the cost of the row's AES-GCM work (JFR profile in {@code benchmarks/README.md}). One call for
   * {@value #BLOCK} bytes serves about six rows. Bytes handed out are erased from the block at once, so
   * the block never holds a key that is in use; it only holds bytes not yet drawn, as the DRBG's own
   * state does. Nothing is shared between threads. Key material never comes from a block alone: block
   * bytes are XORed with bytes the operating system gives at the draw ({@link #nextKeyBytes}).
   *
   * <p>A restored snapshot or cloned VM carries each thread's block and DRBG state, so a copy may draw
   * the same field IVs as the original; they are used only under row DEKs, which come from {@code N},
   * drawn with fresh operating-system entropy, so the copies' DEKs differ and no (key, IV) pair repeats. See
   * docs/KEY-HIERARCHY.md, "Randomness".
   */
  final class SecureSource implements RandomSource {
    static final SecureSource INSTANCE = new SecureSource();
    static final int BLOCK = 512;
    static final int STRENGTH = 256;
    private static final ThreadLocal<Block> RANDOM = ThreadLocal.withInitial(Block::new);
    /**
     * Key material and N where {@link OsEntropy} cannot serve them, one generator per thread: a shared
     * DRBG would make concurrent row writes queue on its lock while it reads the OS's entropy.
     */
    private static final ThreadLocal<SecureRandom> KEYS =
        ThreadLocal.withInitial(() -> create(DrbgParameters.Capability.PR_AND_RESEED));
    private static final DrbgParameters.NextBytes WITH_PREDICTION_RESISTANCE =
        DrbgParameters.nextBytes(STRENGTH, true, null);

    private SecureSource() {}

    /** One thread's generator and its undrawn bytes. */
    private static final class Block {
      final SecureRandom random = create(DrbgParameters.Capability.RESEED_ONLY);
      final byte[] bytes = new byte[BLOCK];
      int position = BLOCK;

      void next(byte[] out) {
        int n = out.length;
        if (n > BLOCK / 4) {
          random.nextBytes(out);
          return;
        }
        if (BLOCK - position < n) {
          random.nextBytes(bytes);
          position = 0;
        }
        System.arraycopy(bytes, position, out, 0, n);
        java.util.Arrays.fill(bytes, position, position + n, (byte) 0);
        position += n;
      }
    }

    /** A Hash_DRBG at 256-bit strength; every JDK since 9 has one, so its absence is an error. */
    private static SecureRandom create(DrbgParameters.Capability capability) {
      try {
        return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(STRENGTH, capability, null));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK offers no DRBG at " + STRENGTH + "-bit strength with "
            + capability, e);
      }
    }

    @Override
    public void nextBytes(byte[] out) {
      RANDOM.get().next(out);
    }

    /**
     * Fresh bytes from the operating system, read at this moment, XORed with bytes of the thread's block
     * (either alone would do: the XOR keeps the draw as good as the better of the two). A copy of this
     * process reads other bytes than the original, whatever the block it inherited. Without
     * {@code /dev/urandom}, or should a read fail, the prediction-resistant generator serves instead (the
     * same guarantee, about three times the cost: it reseeds a Hash_DRBG from the operating system).
     */
    @Override
    public void nextKeyBytes(byte[] out) {
      if (!drawFresh(out, OsEntropy.INSTANCE, INSTANCE)) {
        KEYS.get().nextBytes(out, WITH_PREDICTION_RESISTANCE);
      }
    }

    /**
     * {@code out} = bytes {@code os} reads now XOR bytes of {@code block}; {@code false} (nothing drawn)
     * when {@code os} cannot serve the draw.
     */
    static boolean drawFresh(byte[] out, OsEntropy os, RandomSource block) {
      if (out.length > OsEntropy.MAX_DRAW) {
        return false;
      }
      byte[] fresh = new byte[out.length];
      try {
        if (!os.read(fresh)) {
          return false;
        }
        block.nextBytes(out);
        for (int i = 0; i < out.length; i++) {
          out[i] ^= fresh[i];
        }
        return true;
      } finally {
        java.util.Arrays.fill(fresh, (byte) 0);
      }
    }

    /** Whether key draws read {@code /dev/urandom} (tests; false where it cannot be read). */
    static boolean readsOperatingSystem() {
      return OsEntropy.INSTANCE.available();
    }

    /** The generators' parameters, nonces' then keys' (tests). */
    static SecureRandomParameters[] parameters() {
      return new SecureRandomParameters[] {RANDOM.get().random.getParameters(), KEYS.get().getParameters()};
    }

    @Override
    public String toString() {
      return "RandomSource.secure()";
    }
  }
}
