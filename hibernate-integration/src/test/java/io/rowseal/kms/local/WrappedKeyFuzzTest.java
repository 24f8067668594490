package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.testing.SeedCorpus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes LocalKms's reader of a wrapped key ({@code KeyRing.unwrap}), what the key store's {@code wrapped_key}
 * column holds for every branch-key version ({@code 0x01 ‖ CMK version ‖ N ‖ ciphertext ‖ tag}, docs/KEY-HIERARCHY.md),
 * on a key ring of the golden HSM domain. Seed: the golden branch key wrapped by that ring's own writer. Every blob
 * is refused with an {@link IntegrityException}, or is the seed and unwraps to the golden branch key.
 */
class WrappedKeyFuzzTest {
  private static final String CMK_ID = "cmk-golden";
  private static final KeyRing RING = GoldenTokens.keyRing(CMK_ID);
  private static final EncryptionContext CONTEXT = GoldenTokens.branchKeyContext("default", 3);
  private static final KeyMaterial BRANCH_KEY = KeyMaterial.copyOf(filled(0x33));
  private static final byte[] GOLDEN = RING.wrap(CMK_ID, BRANCH_KEY, CONTEXT);

  @FuzzTest
  void unwrap_anyBlob_refusedOrTheGoldenBranchKey(byte[] blob) {
    KeyMaterial key;
    try {
      key = RING.unwrap(CMK_ID, blob, CONTEXT);
    } catch (IntegrityException e) {
      assertThat(e.getMessage()).as("refusal of a wrapped key").startsWith("wrapped key under CMK '" + CMK_ID + "'");
      return;
    }
    assertThat(Arrays.equals(blob, GOLDEN)).as("a blob other than the golden one unwrapped").isTrue();
    assertThat(key.sameKeyAs(BRANCH_KEY)).isTrue();
  }

  @Test
  void seedCorpus_holdsTheGoldenBranchKeyAsTheRingWrapsIt() {
    SeedCorpus.assertHolds(getClass(), "unwrap_anyBlob_refusedOrTheGoldenBranchKey", List.of(GOLDEN));
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
