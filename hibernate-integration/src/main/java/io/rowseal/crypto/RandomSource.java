package io.rowseal.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomParameters;

/**
 * Where keys, nonces and IVs come from. The default draws everything that makes or selects a key with
 * prediction resistance (fresh entropy from the operating system before each draw, from a Hash_DRBG at
 * 256-bit strength per thread): key material, each row write's {@code N} (it makes the row's DEK),
 * derive-key nonces (they make one-time wrapping keys) and IVs under long-lived keys (EKTs under a domain
 * key). So two copies of one process (a restored snapshot, a cloned VM) diverge at their next such draw.
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
   * derive-key nonce, an IV under a long-lived key). The default source reseeds from the operating
   * system's entropy first (prediction resistance): about 1–3 µs, once per row write. Other sources draw
   * as {@link #nextBytes}.
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
   * state does. Nothing is shared between threads. Key material never comes from a block.
   *
   * <p>A restored snapshot or cloned VM carries each thread's block and DRBG state, so a copy may draw
   * the same field IVs as the original; they are used only under row DEKs, which come from {@code N},
   * drawn with prediction resistance, so the copies' DEKs differ and no (key, IV) pair repeats. See
   * docs/KEY-HIERARCHY.md, "Randomness".
   */
  final class SecureSource implements RandomSource {
    static final SecureSource INSTANCE = new SecureSource();
    static final int BLOCK = 512;
    static final int STRENGTH = 256;
    private static final ThreadLocal<Block> RANDOM = ThreadLocal.withInitial(Block::new);
    /**
     * Key material and N, one generator per thread: a row write draws N with prediction resistance, and
     * a shared DRBG would make concurrent row writes queue on its lock while it reads the OS's entropy.
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

    /** Straight from the prediction-resistant generator: never from a thread's block. */
    @Override
    public void nextKeyBytes(byte[] out) {
      KEYS.get().nextBytes(out, WITH_PREDICTION_RESISTANCE);
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
