package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.KeyState;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
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
  private static final byte[] DK = filled(0x11);
  private static final byte[] CMK = filled(0x22);

  private static final String EKT = "010000000000000007a5a5a5a5a5a5a5a5a5a5a5a53252ae7a51f3fb76a1707b79fc93f82"
      + "eab257e6c20a680b14fc084d78cccd641bbd2927fad1c5e72f00a6bc7fb21d770";

  /** HSM private scalars of the golden domain, HSM 0 to 2. */
  private static final List<String> SCALARS = List.of(
      "4c44bcbac1beb59f995bb3fd6c7b8050537cb63dc945603f5466efbfa4ecd8c8",
      "b042d94e92febe3b68ae75e77721266c4c1e79ced9184929fba587ad8add5ea0",
      "fcbf86432169315b9520e4316e791fcb855d0eeabd70fc5337fbb821090f91ef");
  /** EDT v1: generation 9, issued by HSM 0 at 2025-01-02T03:04:05.678Z, sharing DK = 0x11 × 32. */
  private static final String EDT = "0100000000000000090000019424f8632e00000003eadd15825e79b2e08e482c2490f34c7af1"
      + "52b902efa6e8acce7e8d002142ee65855792f2d95b2889bb781f3e39c95b2ff87e2cad8d94a1e1b9901e9c000004dca2a79a5c46"
      + "ef9e1daf3e893a44855fc1cf9266390da898c11a5a755913ba44da3a9e54266c63b031db6a0bf5b4021be56b8e0b0b194465150a"
      + "4c588a9e1f54a4d536f88e9056bba9248a49e8a956c7ed0dad39c6246dc269831953cfafc3d62a95f1ae29072f988f66762033"
      + "8d26e92655f238c123d46f6f15250a000104c6eb09298fbb639474bd96bc44bb2f8b3e077a3f91a5334656d1f278712e70648a"
      + "5979c8716bdf7f26a56d771d653c999e55fea13495194bab7a5c34df29606bcb81ebc935000ff67818eefa83c20456218c50f2"
      + "e3f0f3d663b25fca66dfdd5ae903ddf074f7285b339dc9b4d871df4be55ee8d5a8fe6d94d820dd01000204a94e852ab0e7fc8f"
      + "9a7319e1ee8ab3078039384b81811aa47d476ab79ca02409a1172ca1177600085898f3990cdf568340f37c461002c5add8bc1f"
      + "fbee939beec2ef573027c9d8a89fe3b28a66de9a501d737892847ac9e3d27fe0c993e450fe8bfc8ce2c9c75345a07daa08e322"
      + "71ed7e4d5569d3fc9b3cd1299db20046304402201f708c11c6f70f4ebc4eb8d29ea9c72d5e2a6db5a653f7c6c46e26114469f4"
      + "b302206cbf1d3471083f1493b40262f1ab42f7efc77ee0c24f14de3569113fd5b95ee0";

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
    SortedMap<Integer, PrivateKey> privateKeys = new TreeMap<>();
    SortedMap<Integer, ECPublicKey> members = new TreeMap<>();
    X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
    for (int i = 0; i < SCALARS.size(); i++) {
      BigInteger d = new BigInteger(SCALARS.get(i), 16);
      privateKeys.put(i, EcP256.privateKeyFromScalar(d));
      members.put(i, EcP256.publicKeyFromPoint(p256.getG().multiply(d).normalize().getEncoded(false)));
    }
    DomainToken token = DomainToken.parse(edt);
    assertThat(token.version()).isEqualTo((byte) version);
    assertThat(token.generation()).isEqualTo(generation);
    assertThat(token.issuer()).isEqualTo(issuer);
    assertThat(token.createdAt()).isEqualTo(Instant.parse(createdAt));
    for (int i = 0; i < SCALARS.size(); i++) {
      assertThat(new Hsm(i, privateKeys.get(i), members, RandomSource.secure()).loadDomainToken(edt))
          .isEqualTo(generation);
      assertThat(token.open(i, privateKeys.get(i)).sameKeyAs(KeyMaterial.copyOf(DK))).isTrue();
    }
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
