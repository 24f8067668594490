package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.testing.SeedCorpus;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of the row footer ({@code docs/FORMAT.md}, "Row footer"): {@code RowFooter.parse} behind
 * {@link DekId#ofFooter} (what the Hibernate glue's {@code StoredFooter.read} calls on every footer it reads),
 * {@link Envelope#branchKeyOf} and {@link Envelope#verifyRow}, against the golden canonical rows of formats 1 and
 * 2. Seeds: the golden footers. Every footer is refused with an RS-coded {@link IntegrityException}, or is the
 * golden footer of the very canonical row it is checked against.
 */
class RowFooterFuzzTest {
  private static final List<Properties> GOLDEN = List.of(GoldenVectors.load(1), GoldenVectors.load(2));
  private static final Envelope READER = GoldenVectors.reader(GOLDEN.get(1));

  @FuzzTest
  void verifyRow_anyFooter_refusedOrTheGoldenFooterOfItsRow(byte[] footer) {
    boolean parses;
    try {
      DekId id = DekId.ofFooter(footer);
      parses = true;
      assertThat(Envelope.branchKeyOf(footer)).isEqualTo(id.ref());
    } catch (IntegrityException e) {
      parses = false;
      assertThat(e.getMessage()).as("refusal of a footer").matches("RS-100[12]: stored row signature .*");
    }
    for (Properties golden : GOLDEN) {
      try {
        READER.verifyRow(footer, GoldenVectors.bytes(golden, "row.canonical"));
      } catch (IntegrityException e) {
        assertThat(e.getMessage()).as("refusal of a row signature").matches("RS-100[0-5]: .*");
        continue;
      }
      assertThat(parses).as("a footer that verified but DekId.ofFooter refused").isTrue();
      assertThat(Arrays.equals(footer, GoldenVectors.bytes(golden, "row.footer")))
          .as("a footer other than the golden one verified the golden row").isTrue();
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenFootersOfBothFormats() {
    SeedCorpus.assertHolds(getClass(), "verifyRow_anyFooter_refusedOrTheGoldenFooterOfItsRow",
        GOLDEN.stream().map(g -> GoldenVectors.bytes(g, "row.footer")).toList());
  }
}
