package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.testing.SeedCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the readers of decrypted plaintext: value encoding v1 ({@link ValueCodec#decode} of every
 * {@link StandardCodec}, {@link EnumCodec} and {@link OrdinalCodec}, docs/HIBERNATE.md), and the reading of legacy
 * plaintext that transition reads apply to a column's old text ({@link JdbcForm#parse} of every form, which
 * {@code AttributeCodec.legacy} calls, with the strict UTF-8 of {@link StrictUtf8#decode}). Both may refuse only with
 * their documented {@link IllegalArgumentException}, which the Hibernate glue turns into RS-4203 or RS-4206; what
 * they accept survives a round trip through its encoding. Seeds: the golden encodings of {@link ValueCodecTest}
 * and legacy texts of each form.
 */
class ValueCodecFuzzTest {
  private static final List<ValueCodec> CODECS = codecs();
  /** Legacy column texts, one per kind of value, as TransitionReadsTest's legacy rows hold them. */
  static final List<String> LEGACY_TEXTS = List.of("ann@example.org", "42", "-7", "12.50", "true", "f",
      "1980-02-29", "10:15:30", "2024-02-29 10:15:30.5", "2024-02-29T10:15:30", "6f1c7ae1-9d1b-4a4e-8c2e-2b0e4c1d9a77");

  @FuzzTest
  void decodeAndLegacyParse_anyBytes_documentedRefusalOrRoundTrip(byte[] input) {
    for (ValueCodec codec : CODECS) {
      if (input.length > 0 && codec.tag() != input[0]) {
        continue; // refused by its tag alone; the empty input goes to every codec
      }
      Object value;
      try {
        value = codec.decode(input);
      } catch (IllegalArgumentException documented) {
        continue;
      }
      assertThat(value).as("%s decoded", codec).isNotNull();
      assertSame(codec, value, codec.decode(codec.encode(value)));
    }
    String text = new String(input, StandardCharsets.UTF_8);
    for (JdbcForm form : JdbcForm.values()) {
      Object jdbc;
      try {
        jdbc = form.parse(text);
      } catch (IllegalArgumentException documented) {
        continue;
      }
      Object encodable = form.toCodec(jdbc);
      assertSame(form, jdbc, form.fromCodec(form.codec.decode(form.codec.encode(encodable))));
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenEncodingsAndLegacyTexts() {
    List<byte[]> seeds = new ArrayList<>();
    ValueCodecTest.VECTORS.forEach(v -> seeds.add(HexFormat.of().parseHex(v.hex())));
    LEGACY_TEXTS.forEach(t -> seeds.add(t.getBytes(StandardCharsets.UTF_8)));
    SeedCorpus.assertHolds(getClass(), "decodeAndLegacyParse_anyBytes_documentedRefusalOrRoundTrip", seeds);
  }

  private static void assertSame(Object reader, Object value, Object again) {
    boolean same = value instanceof byte[] b ? Arrays.equals(b, (byte[]) again)
        : value instanceof char[] c ? Arrays.equals(c, (char[]) again)
        : value instanceof Double d ? Double.compare(d, (Double) again) == 0
        : Objects.equals(value, again);
    assertThat(same).as("%s: %s came back from its encoding as %s", reader, describe(value), describe(again))
        .isTrue();
  }

  private static String describe(Object v) {
    return v instanceof byte[] b ? HexFormat.of().formatHex(b) : v instanceof char[] c ? new String(c) : String.valueOf(v);
  }

  private static List<ValueCodec> codecs() {
    List<ValueCodec> out = new ArrayList<>(List.of(StandardCodec.values()));
    out.add(new EnumCodec(Tier.class));
    out.add(new OrdinalCodec(Tier.class));
    return List.copyOf(out);
  }
}
