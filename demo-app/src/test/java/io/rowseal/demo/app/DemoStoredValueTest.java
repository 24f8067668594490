package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The demo's reading of a value header, on the golden vectors of docs/FORMAT.md (formats 2 and 1, value 1). */
class DemoStoredValueTest {
  private static final byte[] GOLDEN_VALUE_1 = HexFormat.of().parseHex(
      "01000764656661756c7400000003404142434445464748494a4b4c4d4e4faa8b3b02f17b4f7b81da97e9cf6a644d81cfa9"
          + "1445636b26f1cf9e9da30006e107218c2e33f70cc8898fb928beb2b0ec505152535455565758595a5bd0ccc171546f12"
          + "7555627a760827e0c0b15daa13960ac6072432b3e01dbfa3781a");

  private static final byte[] GOLDEN_V2_VALUE_1 = HexFormat.of().parseHex(
      "02000764656661756c7400000003404142434445464748494a4b4c4d4e4f505152535455565758595a5b6266d4ebcaddd0"
          + "c3cedb1d5184b7edab84d9bfab03195893349f3d84fb39ce4403");
  private static final byte[] GOLDEN_V2_FOOTER = HexFormat.of().parseHex(
      "0202000764656661756c7400000003404142434445464748494a4b4c4d4e4f3f1160d6ef46b888a0a4eb949b017cac03a9"
          + "f7a4e4de5bb8bbe188d7d0654849");

  @Test
  void parse_goldenV2ValueAndFooter_readKeyIdVersionAndNonce() {
    StoredValue v = StoredValue.parse(GOLDEN_V2_VALUE_1);
    StoredValue footer = StoredValue.parseFooter(GOLDEN_V2_FOOTER);

    assertThat(v.branchKey()).isEqualTo("default v3");
    assertThat(v.nonce()).isEqualTo(HexFormat.of().parseHex("404142434445464748494a4b4c4d4e4f"));
    assertThat(v.length()).isEqualTo(58 + "alice@example.com".length());
    assertThat(footer.length()).isEqualTo(63);
    assertThat(footer.sameRowKey(v)).isTrue();
    byte[] bound = GOLDEN_V2_FOOTER.clone();
    bound[0] = 0x03; // footer version 3: the same version 2 header, the table and tenant signed too
    assertThat(StoredValue.parseFooter(bound).sameRowKey(v)).isTrue();
  }

  @Test
  void parse_goldenValue_readsKeyIdVersionAndNonce() {
    StoredValue v = StoredValue.parse(GOLDEN_VALUE_1);

    assertThat(v.keyId()).isEqualTo("default");
    assertThat(v.keyVersion()).isEqualTo(3);
    assertThat(v.nonce()).isEqualTo(HexFormat.of().parseHex("404142434445464748494a4b4c4d4e4f"));
    assertThat(v.length()).isEqualTo(106 + "alice@example.com".length());
    assertThat(v.branchKey()).isEqualTo("default v3");
    assertThat(v.nonceShort()).isEqualTo("404142..4d4e4f");
  }

  private static final byte[] GOLDEN_FOOTER = HexFormat.of().parseHex(
      "0101000764656661756c7400000003404142434445464748494a4b4c4d4e4faa8b3b02f17b4f7b81da97e9cf6a644d81cf"
          + "a91445636b26f1cf9e9da30006e107218c2e33f70cc8898fb928beb2b0ec2b95afebc1086d10ed1095f41e3103db74a49"
          + "6c940a5490c02fb171251761201");

  @Test
  void parseFooter_goldenFooter_namesTheSameRowKeyAsItsValues() {
    StoredValue footer = StoredValue.parseFooter(GOLDEN_FOOTER);

    assertThat(footer.branchKey()).isEqualTo("default v3");
    assertThat(footer.length()).isEqualTo(111);
    assertThat(footer.sameRowKey(StoredValue.parse(GOLDEN_VALUE_1))).isTrue();
  }

  @Test
  void parseFooter_aValue_isRefused() {
    assertThatThrownBy(() -> StoredValue.parseFooter(GOLDEN_VALUE_1)).hasMessage("not a rowseal row footer (123 bytes)");
  }

  @Test
  void parse_unknownVersionOrTooShort_isRefused() {
    byte[] v3 = GOLDEN_VALUE_1.clone();
    v3[0] = 0x03;
    byte[] mixed = GOLDEN_V2_FOOTER.clone();
    mixed[1] = 0x01;

    assertThatThrownBy(() -> StoredValue.parse(v3)).hasMessageStartingWith("not a rowseal value");
    assertThatThrownBy(() -> StoredValue.parse(new byte[50])).hasMessageStartingWith("not a rowseal value");
    assertThatThrownBy(() -> StoredValue.parse(null)).hasMessage("not a rowseal value (NULL)");
    assertThatThrownBy(() -> StoredValue.parseFooter(mixed)).hasMessageStartingWith("not a rowseal row footer");
  }

  @Test
  void shortHex_keepsHeadAndTailBytes() {
    assertThat(Hex.value(GOLDEN_VALUE_1)).isEqualTo("010007..bfa3781a (123 B)");
    assertThat(Hex.value(null)).isEqualTo("NULL");
  }
}
