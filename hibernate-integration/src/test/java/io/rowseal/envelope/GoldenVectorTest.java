package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds the golden vectors of value format v1 and row footer v1 ({@code golden/value-v1.properties},
 * also printed in {@code docs/FORMAT.md}) from fixed keys, nonces and IVs through the production code
 * path, and decrypts and verifies them: the stored formats cannot drift without this test failing.
 */
class GoldenVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void goldenVectors_rebuiltFromFixedInputs_matchByteForByte() throws Exception {
    Properties golden = load();
    Map<String, String> rebuilt = rebuild(golden);
    for (Map.Entry<String, String> e : rebuilt.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(golden.getProperty(e.getKey()));
    }
  }

  @Test
  void goldenVectors_decryptWithTheBranchKeyAlone() throws Exception {
    Properties golden = load();
    Envelope envelope = envelope(golden, new ArrayDeque<>());
    assertThat(envelope.decrypt(HEX.parseHex(golden.getProperty("value1.stored")), golden.getProperty("value1.attribute")))
        .isEqualTo(golden.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.decrypt(HEX.parseHex(golden.getProperty("value2.stored")), golden.getProperty("value2.attribute")))
        .isEqualTo(golden.getProperty("value2.plaintext").getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.decrypt(Envelope.fromText(golden.getProperty("value1.text")), golden.getProperty("value1.attribute")))
        .isEqualTo(golden.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void footerVector_verifiesWithTheBranchKeyAlone_andFailsForAnyOtherRow() throws Exception {
    Properties golden = load();
    Envelope envelope = envelope(golden, new ArrayDeque<>());
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
        envelope.verifyRow((byte[]) c[1], (byte[]) c[2]);
        accepted.add((String) c[0]);
      } catch (IntegrityException expected) {
        // what should happen
      }
    }
    assertThat(accepted).as("tampered footers that verified").isEmpty();
    assertThat(DekId.ofFooter(footer)).isEqualTo(DekId.ofValue(HEX.parseHex(golden.getProperty("value1.stored"))));
    assertThat(footer).hasSize(Envelope.footerLength(golden.getProperty("branchKeyId")));
  }

  @Test
  void formatDoc_printsTheSameVectors() throws IOException {
    Path doc = Path.of("..", "docs", "FORMAT.md");
    String text = Files.readString(doc);
    Properties golden = load();
    for (String key : new String[] {"branchKey", "dek", "nonce", "value1.iv", "value1.stored", "value2.stored", "value1.text",
        "row.id", "row.canonical", "row.footer"}) {
      assertThat(text).as("docs/FORMAT.md shows %s", key).contains(golden.getProperty(key));
    }
  }

  private static Map<String, String> rebuild(Properties g) throws IntegrityException {
    Deque<byte[]> script = new ArrayDeque<>();
    script.add(HEX.parseHex(g.getProperty("dek")));
    script.add(HEX.parseHex(g.getProperty("nonce")));
    script.add(HEX.parseHex(g.getProperty("value1.iv")));
    script.add(HEX.parseHex(g.getProperty("value2.iv")));
    Envelope envelope = envelope(g, script);
    Map<String, String> out = new LinkedHashMap<>();
    try (RowEncryptor row = envelope.beginRow()) {
      byte[] v1 = row.encrypt(g.getProperty("value1.plaintext").getBytes(StandardCharsets.UTF_8), g.getProperty("value1.attribute"));
      byte[] v2 = row.encrypt(g.getProperty("value2.plaintext").getBytes(StandardCharsets.UTF_8), g.getProperty("value2.attribute"));
      out.put("value1.stored", HEX.formatHex(v1));
      out.put("value2.stored", HEX.formatHex(v2));
      out.put("value1.text", Envelope.toText(v1));
      byte[] canonical = RowCanonical.of(g.getProperty("row.entity"), HEX.parseHex(g.getProperty("row.id")))
          .encrypted(g.getProperty("value2.attribute"), v2)
          .signed(g.getProperty("row.signed.attribute"), HEX.parseHex(g.getProperty("row.signed.value")))
          .encrypted(g.getProperty("row.null.attribute"), null)
          .encrypted(g.getProperty("value1.attribute"), v1)
          .toBytes();
      out.put("row.canonical", HEX.formatHex(canonical));
      out.put("row.footer", HEX.formatHex(row.sign(canonical)));
    }
    assertThat(script).as("every scripted random draw consumed").isEmpty();
    return out;
  }

  /** An envelope whose CMK hands out the golden branch key and whose randomness follows a script. */
  private static Envelope envelope(Properties g, Deque<byte[]> script) {
    KeyMaterial branchKey = KeyMaterial.copyOf(HEX.parseHex(g.getProperty("branchKey")));
    RandomSource scripted = out -> {
      byte[] next = script.poll();
      if (next == null || next.length != out.length) {
        throw new AssertionError("unscripted random draw of " + out.length + " bytes");
      }
      System.arraycopy(next, 0, out, 0, out.length);
    };
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    for (int v = 1; v <= Integer.parseInt(g.getProperty("branchKeyVersion")); v++) {
      store.rotate(g.getProperty("branchKeyId"), "golden-cmk", ref -> new byte[] {1});
    }
    return Envelope.builder().cmkProvider(new FixedKeyCmk(branchKey)).branchKeyStore(store)
        .branchKeyId(g.getProperty("branchKeyId")).cmkId("golden-cmk").random(scripted).build();
  }

  private static Properties load() throws IOException {
    Properties p = new Properties();
    try (InputStream in = GoldenVectorTest.class.getResourceAsStream("/golden/value-v1.properties")) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  /** A CMK stub whose every data key is the one golden branch key. */
  private record FixedKeyCmk(KeyMaterial key) implements CmkProvider {
    @Override
    public KeyMetadata createKey(String description) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DataKey generateDataKey(String cmkId, EncryptionContext context) {
      return new DataKey(KeyMaterial.copyOf(key.copyBytes()), new byte[] {1});
    }

    @Override
    public byte[] wrap(String cmkId, KeyMaterial k, EncryptionContext context) {
      return new byte[] {1};
    }

    @Override
    public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) {
      return KeyMaterial.copyOf(key.copyBytes());
    }

    @Override
    public KeyMetadata describe(String cmkId) {
      return new KeyMetadata(cmkId, "golden", KeyState.ENABLED, Instant.EPOCH, null, 1);
    }

    @Override
    public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
      throw new UnsupportedOperationException();
    }
  }
}
