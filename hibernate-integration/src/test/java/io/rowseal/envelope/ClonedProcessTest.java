package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 3: two copies of one process (a restored snapshot, a cloned VM) share every
 * generator's state. Modelled here by two sources that replay one and the same stream for
 * {@code nextBytes} (the per-thread blocks a copy inherits) while {@code nextKeyBytes} is the real
 * prediction-resistant source: the copies must still write under different row DEKs.
 */
class ClonedProcessTest {
  private static final int VALUE_HEADER = 3 + "default".length() + 4; // version, flags, k, key id, key version

  @Test
  void twoCopiesWithTheSameGeneratorState_writeUnderDifferentN() throws Exception {
    InMemoryCmkProvider kms = new InMemoryCmkProvider();
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    Envelope original = Envelope.builder().cmkProvider(kms).branchKeyStore(store).random(copied()).build();
    Envelope copy = Envelope.builder().cmkProvider(kms).branchKeyStore(store).random(copied()).build();
    original.activeBranchKey(); // both under one branch key, as the copies of one process would be

    for (int row = 0; row < 20; row++) {
      byte[] a = original.encrypt(bytes("alice " + row), "T.v");
      byte[] b = copy.encrypt(bytes("bob   " + row), "T.v");
      byte[] nA = Arrays.copyOfRange(a, VALUE_HEADER, VALUE_HEADER + 16);
      byte[] nB = Arrays.copyOfRange(b, VALUE_HEADER, VALUE_HEADER + 16);
      assertThat(nA).as("N of row %d", row).isNotEqualTo(nB);
      assertThat(original.decrypt(b, "T.v")).isEqualTo(bytes("bob   " + row));
    }
  }

  /** The state a copy inherits: the same seeded stream for nonces and IVs, real keys. */
  private static RandomSource copied() {
    Random inherited = new Random(42);
    RandomSource secure = RandomSource.secure();
    return new RandomSource() {
      @Override
      public void nextBytes(byte[] out) {
        inherited.nextBytes(out);
      }

      @Override
      public void nextKeyBytes(byte[] out) {
        secure.nextKeyBytes(out);
      }
    };
  }
}
