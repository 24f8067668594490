package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.testing.SeedCorpus;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of the Exported Key Token (EKT, {@code docs/KEY-HIERARCHY.md}), the only stored form of a
 * CMK: {@code KeyToken.generation} and {@code KeyToken.open} under the golden domain key and binding. Seed: the
 * golden EKT. Every token is refused with an {@link IntegrityException}, or is the golden EKT and opens to the
 * golden CMK.
 */
class KeyTokenFuzzTest {
  private static final KeyMaterial DK = KeyMaterial.copyOf(GoldenTokens.DK);
  private static final KeyMaterial CMK = KeyMaterial.copyOf(GoldenTokens.CMK);
  private static final byte[] GOLDEN = GoldenTokens.ekt();

  @FuzzTest
  void open_anyToken_refusedOrTheGoldenCmk(byte[] token) {
    try {
      assertThat(KeyToken.generation(token, GoldenTokens.EKT_BINDING)).isEqualTo(ByteBuffer.wrap(token, 1, 8).getLong());
    } catch (IntegrityException e) {
      assertThat(e.getMessage()).as("refusal of a key token").endsWith("does not verify");
    }
    KeyMaterial cmk;
    try {
      cmk = KeyToken.open(DK, token, GoldenTokens.EKT_BINDING);
    } catch (IntegrityException e) {
      assertThat(e.getMessage()).as("refusal of a key token").endsWith("does not verify");
      return;
    }
    assertThat(Arrays.equals(token, GOLDEN)).as("a key token other than the golden one opened").isTrue();
    assertThat(cmk.sameKeyAs(CMK)).isTrue();
  }

  @Test
  void seedCorpus_holdsTheGoldenEkt() {
    SeedCorpus.assertHolds(getClass(), "open_anyToken_refusedOrTheGoldenCmk", List.of(GOLDEN));
  }
}
