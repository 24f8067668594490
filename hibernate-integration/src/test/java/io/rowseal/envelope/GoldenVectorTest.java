package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rebuilds the golden vectors of value format v1 and row footer v1 ({@code golden/value-v1.properties},
 * also printed in {@code docs/FORMAT.md}) from fixed keys, nonces and IVs through the production code
 * path, and decrypts and verifies them: the stored formats cannot drift without this test failing.
 */
/**
 * Golden vectors of the stored formats ({@code golden/value-v2.properties}, the version written, and
 * {@code golden/value-v1.properties}, the version before it; both printed in {@code docs/FORMAT.md}).
 * Version 2 is rebuilt from fixed keys, nonces and IVs through the production code path; version 1,
 * which production no longer writes, is rebuilt here from the primitives as FORMAT.md describes it. Both
 * decrypt and verify through the production reader: the formats cannot drift, and rows written by
 * an earlier rowseal stay readable (invariant 6).
 */
class GoldenVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void v2_rebuiltThroughTheWriter_matchesByteForByte() throws Exception {
    Properties golden = GoldenVectors.load(2);
    assertMatches(golden, rebuildV2(golden));
  }

  @Test
  void v1_rebuiltFromThePrimitives_matchesByteForByte() throws Exception {
    Properties golden = GoldenVectors.load(1);
    assertMatches(golden, rebuildV1(golden));
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {1, 2})
  void goldenVectors_decryptWithTheBranchKeyAlone(int version) throws Exception {
    Properties golden = GoldenVectors.load(version);
    Envelope envelope = GoldenVectors.envelope(golden, new ArrayDeque<>());
    assertThat(envelope.decrypt(HEX.parseHex(golden.getProperty("value1.stored")), golden.getProperty("value1.attribute")))
        .isEqualTo(golden.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.decrypt(HEX.parseHex(golden.getProperty("value2.stored")), golden.getProperty("value2.attribute")))
        .isEqualTo(golden.getProperty("value2.plaintext").getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.decrypt(Envelope.fromText(golden.getProperty("value1.text")), golden.getProperty("value1.attribute")))
        .isEqualTo(golden.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {1, 2})
  void footerVector_verifiesWithTheBranchKeyAlone_andFailsForAnyOtherRow(int version) throws Exception {
    Properties golden = GoldenVectors.load(version);
    Envelope envelope = GoldenVectors.envelope(golden, new ArrayDeque<>());
    byte[] footer = HEX.parseHex(golden.getProperty("row.footer"));
    byte[] canonical = HEX.parseHex(golden.getProperty("row.canonical"));

    envelope.verifyRow(footer, canonical);

    java.util.List<String> accepted = new java.util.ArrayList<>();
    byte[] otherId = canonical.clone();
    otherId[otherId.length - 1] ^= 1;
    byte[] flippedMac = footer.clone();
    flippedMac[footer.length - 1] ^= 1;
    byte[] flippedNonce = footer.clone();
    flippedNonce[1 + 7 + 7] ^= 1;
    for (Object[] c : new Object[][] {{"canonical changed", footer, otherId},
        {"MAC changed", flippedMac, canonical}, {"N changed", flippedNonce, canonical}}) {
      try {
        GoldenVectors.envelope(golden, new ArrayDeque<>()).verifyRow((byte[]) c[1], (byte[]) c[2]);
        accepted.add((String) c[0]);
      } catch (IntegrityException expected) {
        // what should happen
      }
    }
    assertThat(accepted).as("tampered footers that verified").isEmpty();
    assertThat(DekId.ofFooter(footer)).isEqualTo(DekId.ofValue(HEX.parseHex(golden.getProperty("value1.stored"))));
    if (version == 2) {
      assertThat(footer).hasSize(Envelope.footerLength(golden.getProperty("branchKeyId")));
    }
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {1, 2})
  void formatDoc_printsTheSameVectors(int version) throws IOException {
    Path doc = Path.of("..", "docs", "FORMAT.md");
    String text = Files.readString(doc);
    Properties golden = GoldenVectors.load(version);
    for (String key : new String[] {"branchKey", "dek", "nonce", "value1.iv", "value1.stored", "value2.stored", "value1.text",
        "row.id", "row.canonical", "row.footer", "row.bound.canonical", "row.bound.footer"}) {
      if (golden.getProperty(key) != null) {
        assertThat(text).as("docs/FORMAT.md shows %s of v%d", key, version).contains(golden.getProperty(key));
      }
    }
  }

  private static void assertMatches(Properties golden, Map<String, String> rebuilt) {
    for (Map.Entry<String, String> e : rebuilt.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(golden.getProperty(e.getKey()));
    }
  }

  /** Version 2 through {@link Envelope#beginRow()}: the scripted draws are N and the two field IVs. */
  private static Map<String, String> rebuildV2(Properties g) throws IntegrityException {
    Deque<byte[]> script = new ArrayDeque<>();
    script.add(HEX.parseHex(g.getProperty("nonce")));
    script.add(HEX.parseHex(g.getProperty("value1.iv")));
    script.add(HEX.parseHex(g.getProperty("value2.iv")));
    Envelope envelope = GoldenVectors.envelope(g, script);
    Map<String, String> out = new LinkedHashMap<>();
    KeyMaterial dek = Kbkdf.derive(KeyMaterial.copyOf(HEX.parseHex(g.getProperty("branchKey"))),
        bytes("rowseal/dek/v2"), HEX.parseHex(g.getProperty("nonce")));
    out.put("dek", HEX.formatHex(dek.copyBytes()));
    try (RowEncryptor row = envelope.beginRow()) {
      byte[] v1 = row.encrypt(bytes(g.getProperty("value1.plaintext")), g.getProperty("value1.attribute"));
      byte[] v2 = row.encrypt(bytes(g.getProperty("value2.plaintext")), g.getProperty("value2.attribute"));
      putRow(g, out, v1, v2);
      out.put("row.footer", HEX.formatHex(row.sign(HEX.parseHex(out.get("row.canonical")))));
      byte[] bound = items(g, RowCanonical.of(g.getProperty("row.entity"), g.getProperty("row.bound.table"),
          g.getProperty("row.bound.tenant"), HEX.parseHex(g.getProperty("row.id"))), v1, v2);
      out.put("row.bound.canonical", HEX.formatHex(bound));
      out.put("row.bound.footer", HEX.formatHex(row.signBound(bound)));
    }
    assertThat(script).as("every scripted random draw consumed").isEmpty();
    return out;
  }

  /** Version 1 from the primitives ({@link FormatV1Writer}), as docs/FORMAT.md gives it. */
  private static Map<String, String> rebuildV1(Properties g) {
    FormatV1Writer writer = new FormatV1Writer(KeyMaterial.copyOf(HEX.parseHex(g.getProperty("branchKey"))),
        new BranchKeyRef(g.getProperty("branchKeyId"), Integer.parseInt(g.getProperty("branchKeyVersion"))),
        KeyMaterial.copyOf(HEX.parseHex(g.getProperty("dek"))), HEX.parseHex(g.getProperty("nonce")));
    byte[] v1 = writer.value(bytes(g.getProperty("value1.plaintext")), g.getProperty("value1.attribute"),
        HEX.parseHex(g.getProperty("value1.iv")));
    byte[] v2 = writer.value(bytes(g.getProperty("value2.plaintext")), g.getProperty("value2.attribute"),
        HEX.parseHex(g.getProperty("value2.iv")));
    Map<String, String> out = new LinkedHashMap<>();
    putRow(g, out, v1, v2);
    out.put("row.footer", HEX.formatHex(writer.footer(HEX.parseHex(out.get("row.canonical")))));
    return out;
  }

  /** Stored values, text form and canonical row of the golden row (the same recipe for every version). */
  private static void putRow(Properties g, Map<String, String> out, byte[] v1, byte[] v2) {
    out.put("value1.stored", HEX.formatHex(v1));
    out.put("value2.stored", HEX.formatHex(v2));
    out.put("value1.text", Envelope.toText(v1));
    byte[] canonical = items(g, RowCanonical.of(g.getProperty("row.entity"), HEX.parseHex(g.getProperty("row.id"))),
        v1, v2);
    out.put("row.canonical", HEX.formatHex(canonical));
  }

  /** The golden row's items (added out of name order: the encoding sorts them). */
  private static byte[] items(Properties g, RowCanonical row, byte[] v1, byte[] v2) {
    return row.encrypted(g.getProperty("value2.attribute"), v2)
        .signed(g.getProperty("row.signed.attribute"), HEX.parseHex(g.getProperty("row.signed.value")))
        .encrypted(g.getProperty("row.null.attribute"), null)
        .encrypted(g.getProperty("value1.attribute"), v1)
        .toBytes();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
