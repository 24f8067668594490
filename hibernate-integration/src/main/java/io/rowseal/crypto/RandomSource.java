package io.rowseal.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomParameters;

/**
 * Where keys, nonces and IVs come from. The default draws nonces and IVs from one {@link SecureRandom}
 * (Hash_DRBG, 256-bit security strength) per thread, so that concurrent row writes never contend on a
 * shared generator's lock, and key material ({@link #nextKeyBytes}) from a DRBG with prediction
 * resistance: fresh entropy from the operating system before every key, so that two copies of one
 * process (a restored snapshot, a cloned VM) make different keys. Tests substitute a deterministic
 * source to rebuild golden vectors; production code has no reason to.
 */
@FunctionalInterface
public interface RandomSource {

  /** Fills {@code out} with random bytes (nonces, IVs). */
  void nextBytes(byte[] out);

  /**
   * Fills {@code out} with key material. The default source reseeds from the operating system's entropy
   * first (prediction resistance), which costs a few microseconds: keys are made rarely (branch keys,
   * CMK versions, domain keys, one-time keys of LocalKms's tokens). Other sources draw as {@link #nextBytes}.
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
   * <p>Not yet safe against copies of the process: a restored snapshot or cloned VM carries each
   * thread's block and DRBG state, so until those threads reseed (without prediction resistance,
   * only after a very large number of requests) every copy draws the same nonces and IVs as the
   * original, hence the same row DEKs (derived from the branch key and N) under the same IVs. See
   * docs/KEY-HIERARCHY.md, "Randomness".
   */
  final class SecureSource implements RandomSource {
    static final SecureSource INSTANCE = new SecureSource();
    static final int BLOCK = 512;
    static final int STRENGTH = 256;
    private static final ThreadLocal<Block> RANDOM = ThreadLocal.withInitial(Block::new);
    /** One generator for all key material; the JDK's DRBG is thread-safe and keys are rare. */
    private static final SecureRandom KEYS = create(DrbgParameters.Capability.PR_AND_RESEED);
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
      KEYS.nextBytes(out, WITH_PREDICTION_RESISTANCE);
    }

    /** The generators' parameters, nonces' then keys' (tests). */
    static SecureRandomParameters[] parameters() {
      return new SecureRandomParameters[] {RANDOM.get().random.getParameters(), KEYS.getParameters()};
    }

    @Override
    public String toString() {
      return "RandomSource.secure()";
    }
  }
}
