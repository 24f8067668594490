package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.type.descriptor.java.StringJavaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15, finding 10: a value's stored length is its plaintext's plus a constant, so a small known
 * domain (an enum) is padded to its longest member, and strings can declare length buckets.
 */
class LengthPaddingTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void enumAndBucketedString_storedLengthTellsOnlyTheBucket(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, PaddedNote.class)) {
      String[] notes = {"", "a", "thirteen char", "twenty characters!!!", "x".repeat(61), "y".repeat(100)};
      Tier[] tiers = Tier.values();
      jpa.inTransaction(s -> {
        for (int i = 0; i < notes.length; i++) {
          s.persist(new PaddedNote(i, notes[i], tiers[i % tiers.length]));
        }
      });

      List<Map<String, Object>> rows = jpa.raw("select id, note, tier from " + jpa.table("padded_note") + " order by id");
      Map<Object, Integer> tierLengths = rows.stream().collect(Collectors.toMap(r -> r.get("id"),
          r -> ((byte[]) r.get("tier")).length));
      assertThat(tierLengths.values()).as("one stored length for BRONZE, SILVER and the longest name").containsOnly(
          tierLengths.get(rows.get(0).get("id")));
      int[] noteLengths = rows.stream().mapToInt(r -> ((byte[]) r.get("note")).length).toArray();
      int overhead = noteLengths[0] - 16;
      // encodings (tag + UTF-8, then 2 bytes of padding marker) of 1, 2 and 14 bytes share bucket 16; 21 and 62
      // share 64; 101 needs 128 (a multiple of the largest bucket)
      assertThat(noteLengths).containsExactly(overhead + 16, overhead + 16, overhead + 16, overhead + 64,
          overhead + 64, overhead + 128);

      for (int i = 0; i < notes.length; i++) {
        long id = i;
        PaddedNote read = jpa.fromTransaction(s -> s.find(PaddedNote.class, id));
        assertThat(read.note).isEqualTo(notes[i]);
        assertThat(read.tier).isEqualTo(tiers[i % tiers.length]);
      }
    }
  }

  @Test
  void valuesWrittenBeforePadding_readTheSame() {
    AttributeCodec plain = new AttributeCodec(StandardCodec.STRING, null, StringJavaType.INSTANCE, null, null);
    AttributeCodec bucketed = plain.padded(new int[] {16, 64});
    for (String s : List.of("", "a", "ends in NUL\u0000", "ends in 0x80 \u0140", "z".repeat(70))) {
      assertThat(bucketed.toDomain(plain.ofDomain(s))).isEqualTo(s);
      assertThat(bucketed.toDomain(bucketed.ofDomain(s))).isEqualTo(s);
    }
    EnumCodec tiers = new EnumCodec(Tier.class);
    byte[] unpadded = {EnumCodec.TAG, 'G', 'O', 'L', 'D', '_', 'P', 'L', 'U', 'S', '_', 'P', 'L', 'A', 'T', 'I', 'N',
        'U', 'M', '_', 'W', 'I', 'T', 'H', '_', 'A', '_', 'L', 'O', 'N', 'G', '_', 'N', 'A', 'M', 'E'};
    assertThat(tiers.decode(unpadded)).isEqualTo(Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME);
    assertThat(tiers.decode(new byte[] {EnumCodec.TAG, 'S', 'I', 'L', 'V', 'E', 'R'})).isEqualTo(Tier.SILVER);
    assertThat(tiers.encode(Tier.BRONZE)).hasSameSizeAs(tiers.encode(Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME));
  }

  @Test
  void bucketsNotAscending_refusedWithTheirValues() {
    AttributeCodec plain = new AttributeCodec(StandardCodec.STRING, null, StringJavaType.INSTANCE, null, null);
    assertThatThrownBy(() -> plain.padded(new int[] {64, 16})).hasMessageContaining("[64, 16]");
    assertThatThrownBy(() -> plain.padded(new int[] {0})).hasMessageContaining("positive");
  }
}
