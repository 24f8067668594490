package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.testing.SeedCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of stored values in binary form ({@code docs/FORMAT.md}): {@code ValueFormat.parse} behind
 * {@link Envelope#decrypt}, {@link Envelope#isValue}, {@link Envelope#branchKeyOf} and {@link DekId#ofValue}, on
 * an envelope that holds the golden branch key. Seeds: the golden values of formats 1 and 2. Every input is either
 * refused with an {@link IntegrityException} that carries an RS code, or is a golden value read under its own
 * attribute and decrypts to its golden plaintext: no other byte string ever decrypts (invariant 3).
 */
class StoredValueFuzzTest {
  private static final List<Golden> VALUES = goldenValues();
  private static final List<String> ATTRIBUTES = VALUES.stream().map(Golden::attribute).distinct().toList();
  /** Formats 1 and 2 share the golden branch key, so one reader reads both. */
  private static final Envelope READER = GoldenVectors.reader(GoldenVectors.load(2));

  @FuzzTest
  void decrypt_anyBytes_refusedOrTheGoldenPlaintext(byte[] stored) {
    boolean isValue = Envelope.isValue(stored);
    BranchKeyRef ref = Envelope.branchKeyOf(stored);
    try {
      DekId id = DekId.ofValue(stored);
      assertThat(isValue).as("isValue of a value DekId.ofValue parses").isTrue();
      assertThat(id.ref()).isEqualTo(ref);
    } catch (IntegrityException e) {
      assertThat(isValue).as("isValue of a value DekId.ofValue refuses").isFalse();
      assertThat(e.getMessage()).startsWith("RS-100");
    }
    for (String attribute : ATTRIBUTES) {
      byte[] plaintext;
      try {
        plaintext = READER.decrypt(stored, attribute);
      } catch (IntegrityException e) {
        assertThat(e.getMessage()).as("refusal of a stored value").matches("RS-100[0-4]: .*");
        continue;
      }
      Golden golden = VALUES.stream()
          .filter(g -> g.attribute().equals(attribute) && Arrays.equals(g.stored(), stored)).findFirst()
          .orElseThrow(() -> new AssertionError("a value that is no golden value decrypted under " + attribute));
      assertThat(plaintext).isEqualTo(golden.plaintext());
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenValuesOfBothFormats() {
    SeedCorpus.assertHolds(getClass(), "decrypt_anyBytes_refusedOrTheGoldenPlaintext",
        VALUES.stream().map(Golden::stored).toList());
  }

  record Golden(byte[] stored, String attribute, byte[] plaintext) {}

  private static List<Golden> goldenValues() {
    List<Golden> out = new ArrayList<>();
    for (int version = 1; version <= 2; version++) {
      Properties g = GoldenVectors.load(version);
      for (String value : List.of("value1", "value2")) {
        out.add(new Golden(GoldenVectors.bytes(g, value + ".stored"), g.getProperty(value + ".attribute"),
            g.getProperty(value + ".plaintext").getBytes(StandardCharsets.UTF_8)));
      }
    }
    return List.copyOf(out);
  }
}
