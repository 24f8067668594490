package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.testing.SeedCorpus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the canonical row ({@link RowCanonical}, {@code docs/FORMAT.md}) that a row footer's MAC covers. rowseal
 * only writes it (the MAC is recomputed, never parsed back), so the target reads each input with the layout
 * FORMAT.md gives, here in the test, and rebuilds the row through {@link RowCanonical}: every byte string laid out
 * as a canonical row must come back byte for byte. The layout read here admits one encoding per row (names in
 * order, no duplicates, strict UTF-8), so that property means the writer is injective: no two rows encode alike,
 * and a footer signed for one row never verifies another. Seeds: the golden canonical rows of formats 1 and 2.
 */
class RowCanonicalFuzzTest {
  private static final int NULL = 0xFFFFFFFF;

  @FuzzTest
  void toBytes_ofAnyRowInCanonicalLayout_givesBackTheSameBytes(byte[] input) {
    RowCanonical row = read(ByteBuffer.wrap(input));
    if (row != null) {
      assertThat(row.toBytes()).as("the canonical row rebuilt from its layout").isEqualTo(input);
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenCanonicalRowsOfBothFormats() {
    SeedCorpus.assertHolds(getClass(), "toBytes_ofAnyRowInCanonicalLayout_givesBackTheSameBytes", List.of(
        GoldenVectors.bytes(GoldenVectors.load(1), "row.canonical"),
        GoldenVectors.bytes(GoldenVectors.load(2), "row.canonical")));
  }

  @Test
  void read_goldenCanonicalRows_areRows() {
    for (int version = 1; version <= 2; version++) {
      byte[] canonical = GoldenVectors.bytes(GoldenVectors.load(version), "row.canonical");
      assertThat(read(ByteBuffer.wrap(canonical))).as("golden canonical row of format %d", version).isNotNull();
    }
  }

  /** The row laid out in {@code in}, or {@code null} if {@code in} is not exactly one canonical row. */
  private static RowCanonical read(ByteBuffer in) {
    String entity = text(field(in));
    byte[] id = field(in);
    if (entity == null || entity.isEmpty() || id == null || in.remaining() < 4) {
      return null;
    }
    RowCanonical row = RowCanonical.of(entity, id);
    int count = in.getInt();
    if (count < 0) {
      return null;
    }
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      byte[] name = field(in);
      String text = text(name);
      if (text == null || text.isEmpty() || previous != null && Arrays.compareUnsigned(previous, name) >= 0
          || !in.hasRemaining()) {
        return null;
      }
      previous = name;
      byte kind = in.get();
      if (in.remaining() < 4) {
        return null;
      }
      byte[] bytes = null;
      if (in.getInt(in.position()) == NULL) {
        in.getInt();
      } else if ((bytes = field(in)) == null) {
        return null;
      }
      if (kind == RowCanonical.ENCRYPTED) {
        row.encrypted(text, bytes);
      } else if (kind == RowCanonical.SIGNED) {
        row.signed(text, bytes);
      } else {
        return null;
      }
    }
    return in.hasRemaining() ? null : row;
  }

  /** {@code [len]_32 ‖ bytes}, or {@code null} if the length is negative or runs past the end. */
  private static byte[] field(ByteBuffer in) {
    if (in.remaining() < 4) {
      return null;
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      return null;
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static String text(byte[] utf8) {
    if (utf8 == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
