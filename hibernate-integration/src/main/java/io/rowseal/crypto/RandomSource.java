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

  /** Thread-local DRBG instances (one generator lock per thread, none shared). */
  final class SecureSource implements RandomSource {
    static final SecureSource INSTANCE = new SecureSource();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureSource::create);

    private SecureSource() {}

    private static SecureRandom create() {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }

    @Override
    public void nextBytes(byte[] out) {
      RANDOM.get().nextBytes(out);
    }

    @Override
    public String toString() {
      return "RandomSource.secure()";
    }
  }
}
