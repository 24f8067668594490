package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.KeyState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of the persisted layouts (docs/KEY-HIERARCHY.md): tokens written by this version must
 * stay readable by every later one. The EKT is deterministic given the random source, so it is
 * rebuilt and also opened from its documented layout with the JDK's own AES-GCM; the EDT is not
 * (ECDSA and the ephemeral keys are randomized), so the stored ones (v1 and v2) must keep loading. The
 * CMK row MAC is deterministic: rebuilt, and recomputed from its documented layout with the JDK's HMAC.
 */
class GoldenVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] DK = GoldenTokens.DK;
  private static final byte[] CMK = GoldenTokens.CMK;
  private static final String EKT = GoldenTokens.EKT;
  private static final String EDT = GoldenTokens.EDT;

  /** EDT v2: generation 10, issued by HSM 1 at 2025-06-07T08:09:10.111Z, sharing DK = 0x11 × 32. */
  private static final String EDT_V2 = "02000000000000000a00000197496fc0df00010003df55220345de105d211d3dcdf38f474317"
      + "7dc24418cfdaa4a4ff425616aebb6a3b8bd01cc14b2f67f9fb72cf438b07897858e1961d48978dc180f6cf000004f792b09a474c"
      + "9468ca6a9518b9809376a5cb03007eb2aadd12e7d6c8cc4603141e0fba5593006d130dd2d37f374054aa9f89d3ae9a31300e968c"
      + "2bd2d8e3bdaffd049e421a906932799dddf5ebd64c8740cb4c8bc0531cbc5b0feb069ae652eb082dafe98d1c7136d225a4869028"
      + "7f1ba0010780a3a68275749d2a48000104df3a6759fa75a0b8c0922a40f6c58276ec69910323c4c35fbfd1b17502bb84c200f52a"
      + "b98e3e84cb1a6b99df2f512c6f58805250d86c45812342d8aec984928416d83fa2882c85c8aac840aae77277ca7258d898792fd3"
      + "f455f3e9bd1cb093804de1db7c89755c0cc79a5e2f1b415578889e55717f925fe81e9a8db500020464a7a3d69d49a0e198521915"
      + "3c80fbff5fa148fa2e07990e20cbded51139b7d3c4108886d8b91a23abbd031f767193f8a9267084e501c72237713c59a917a3b0"
      + "3d84c7ca2cdb0bab780f0e9a73ca1e603082cf079fcda7941af88a99be20e6d51f3f82b9d12ffddb9a9cb44a820709f05a02a41d"
      + "81429c84af0f9bb5004830460221008cf15f20e1872d1c1eb211c6c6b0045e96a0ed5071e050640ba858ae56078db6022100e46b"
      + "43952df49d84799f55d1fd4e77f2aed4120470317e6dc20cac75536abdda";
  /** CMK row MAC v1 under DK = 0x11 × 32 of generation 7, for {@link #GOLDEN_ROW}. */
  private static final String STATE_MAC = "016e6a2fb6635b11e218684b61e5734a68d91004e0012a113ff828d55ae7e0c78b";
  private static final KmsTables.CmkRow GOLDEN_ROW = new KmsTables.CmkRow("cmk-golden", "golden vector \u2713",
      KeyState.PENDING_DELETION, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-31T00:00:00Z"));

  private final KeyToken.Binding binding = new KeyToken.Binding("cmk-golden", 3, Instant.parse("2025-01-01T00:00:00Z"));

  @Test
  void keyTokenSeal_fixedRandomSource_rebuildsTheGoldenEkt() {
    RandomSource fixed = out -> Arrays.fill(out, (byte) 0xA5);
    byte[] ekt = KeyToken.seal(KeyMaterial.copyOf(DK), 7, KeyMaterial.copyOf(CMK), binding, fixed);
    assertThat(HEX.formatHex(ekt)).isEqualTo(EKT);
  }

  @Test
  void goldenEkt_openedFromTheDocumentedLayoutWithJdkAesGcm_yieldsTheCmk() throws Exception {
    byte[] ekt = HEX.parseHex(EKT);
    byte[] label = "rowseal/ekt/v1".getBytes(StandardCharsets.US_ASCII);
    byte[] id = "cmk-golden".getBytes(StandardCharsets.UTF_8);
    byte[] spec = "AES_256".getBytes(StandardCharsets.US_ASCII);
    byte[] aad = ByteBuffer.allocate(label.length + 1 + 9 + 2 + id.length + 4 + 8 + 2 + spec.length)
        .put(label).put((byte) 0).put(ekt, 0, 9).putShort((short) id.length).put(id).putInt(3)
        .putLong(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()).putShort((short) spec.length).put(spec)
        .array();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(DK, "AES"), new GCMParameterSpec(128, ekt, 9, 12));
    c.updateAAD(aad);
    assertThat(c.doFinal(ekt, 21, ekt.length - 21)).isEqualTo(CMK);
    assertThat(KeyToken.open(KeyMaterial.copyOf(DK), ekt, binding).sameKeyAs(KeyMaterial.copyOf(CMK))).isTrue();
  }

  @Test
  void goldenEdt_loadedByEveryHsmOfTheGoldenDomain_yieldsTheDomainKey() throws Exception {
    assertLoadedByEveryHsm(EDT, 1, 9, 0, "2025-01-02T03:04:05.678Z");
  }

  @Test
  void goldenEdtV2_loadedByEveryHsmOfTheGoldenDomain_yieldsTheDomainKey() throws Exception {
    assertLoadedByEveryHsm(EDT_V2, 2, 10, 1, "2025-06-07T08:09:10.111Z");
  }

  @Test
  void cmkStateMac_goldenRow_rebuildsTheGoldenMac() {
    assertThat(HEX.formatHex(CmkStateMac.compute(KeyMaterial.copyOf(DK), 7, GOLDEN_ROW))).isEqualTo(STATE_MAC);
  }

  @Test
  void goldenStateMac_recomputedFromTheDocumentedLayoutWithJdkHmac_matches() throws Exception {
    byte[] label = "rowseal/localkms/cmk-state".getBytes(StandardCharsets.US_ASCII);
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(DK, "HmacSHA256"));
    byte[] key = hmac.doFinal(ByteBuffer.allocate(4 + label.length + 1 + 8 + 4)
        .putInt(1).put(label).put((byte) 0).putLong(7).putInt(256).array());
    byte[] id = "cmk-golden".getBytes(StandardCharsets.UTF_8);
    byte[] description = "golden vector \u2713".getBytes(StandardCharsets.UTF_8);
    byte[] state = "PENDING_DELETION".getBytes(StandardCharsets.US_ASCII);
    byte[] message = ByteBuffer.allocate(1 + 8 + 2 + id.length + 4 + description.length + 2 + state.length + 17)
        .put((byte) 1).putLong(7).putShort((short) id.length).put(id).putInt(description.length).put(description)
        .putShort((short) state.length).put(state).putLong(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli())
        .put((byte) 1).putLong(Instant.parse("2025-01-31T00:00:00Z").toEpochMilli()).array();
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] stored = HEX.parseHex(STATE_MAC);
    assertThat(stored[0]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(stored, 1, stored.length)).isEqualTo(hmac.doFinal(message));
  }

  private static void assertLoadedByEveryHsm(String hex, int version, long generation, int issuer, String createdAt)
      throws Exception {
    byte[] edt = HEX.parseHex(hex);
    SortedMap<Integer, KeyPair> pairs = GoldenTokens.keyPairs();
    SortedMap<Integer, ECPublicKey> members = new TreeMap<>();
    pairs.forEach((i, kp) -> members.put(i, (ECPublicKey) kp.getPublic()));
    DomainToken token = DomainToken.parse(edt);
    assertThat(token.version()).isEqualTo((byte) version);
    assertThat(token.generation()).isEqualTo(generation);
    assertThat(token.issuer()).isEqualTo(issuer);
    assertThat(token.createdAt()).isEqualTo(Instant.parse(createdAt));
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(new Hsm(i, pairs.get(i).getPrivate(), members, RandomSource.secure()).loadDomainToken(edt))
          .isEqualTo(generation);
      assertThat(token.open(i, pairs.get(i).getPrivate()).sameKeyAs(KeyMaterial.copyOf(DK))).isTrue();
    }
  }
}
