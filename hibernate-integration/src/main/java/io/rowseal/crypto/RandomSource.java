package io.rowseal.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Where keys, nonces and IVs come from. The default draws from one {@link SecureRandom} (DRBG) per
 * thread, so that concurrent row writes never contend on a shared generator's lock. Tests substitute
 * a deterministic source to rebuild golden vectors; production code has no reason to.
 */
@FunctionalInterface
public interface RandomSource {

  /** Fills {@code out} with random bytes. */
  void nextBytes(byte[] out);

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
   * state does. Nothing is shared between threads.
   */
  final class SecureSource implements RandomSource {
    static final SecureSource INSTANCE = new SecureSource();
    static final int BLOCK = 512;
    private static final ThreadLocal<Block> RANDOM = ThreadLocal.withInitial(Block::new);

    private SecureSource() {}

    /** One thread's generator and its undrawn bytes. */
    private static final class Block {
      final SecureRandom random = create();
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

    private static SecureRandom create() {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }

    @Override
    public void nextBytes(byte[] out) {
      RANDOM.get().next(out);
    }

    @Override
    public String toString() {
      return "RandomSource.secure()";
    }
  }
}
