package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.testing.SeedCorpus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of the text storage form ({@code "rs1:"} + Base64, {@code docs/FORMAT.md}), what a character
 * column holds: {@link Envelope#isText} and {@link Envelope#fromText}, then {@link Envelope#decrypt} of what it
 * gives. The input bytes are read as UTF-8, so the text may hold any character. Seeds: the golden texts of formats
 * 1 and 2. Every text is refused with an RS-coded {@link IntegrityException}, or is exactly the canonical text of
 * the bytes it gives ({@code toText(fromText(s)) == s}), so no two texts stand for one value; and any byte string
 * comes back from its own text ({@code fromText(toText(b)) == b}).
 */
class StoredTextFuzzTest {
  private static final Properties V1 = GoldenVectors.load(1);
  private static final Properties V2 = GoldenVectors.load(2);
  private static final Envelope READER = GoldenVectors.reader(V2);
  private static final String ATTRIBUTE = V2.getProperty("value1.attribute");

  @FuzzTest
  void fromText_anyText_refusedOrCanonical(byte[] input) throws IntegrityException {
    String text = new String(input, StandardCharsets.UTF_8);
    assertThat(Envelope.fromText(Envelope.toText(input))).isEqualTo(input);
    byte[] stored;
    try {
      stored = Envelope.fromText(text);
    } catch (IntegrityException e) {
      assertThat(e.getMessage()).as("refusal of a stored text").startsWith("RS-1002: ");
      return;
    }
    assertThat(Envelope.isText(text)).isTrue();
    assertThat(Envelope.toText(stored)).as("the text of the value a text gave").isEqualTo(text);
    try {
      byte[] plaintext = READER.decrypt(stored, ATTRIBUTE);
      assertThat(text).as("a text that decrypted").isIn(V1.getProperty("value1.text"), V2.getProperty("value1.text"));
      assertThat(plaintext).isEqualTo(V2.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8));
    } catch (IntegrityException e) {
      assertThat(e.getMessage()).as("refusal of a stored value").matches("RS-100[0-4]: .*");
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenTextsOfBothFormats() {
    SeedCorpus.assertHolds(getClass(), "fromText_anyText_refusedOrCanonical", List.of(
        V1.getProperty("value1.text").getBytes(StandardCharsets.US_ASCII),
        V2.getProperty("value1.text").getBytes(StandardCharsets.US_ASCII)));
  }
}
