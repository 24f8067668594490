package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
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
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of the persisted layouts (docs/KEY-HIERARCHY.md): tokens written by this version must
 * stay readable by every later one. The EKT is deterministic given the random source, so it is
 * rebuilt and also opened from its documented layout with the JDK's own AES-GCM; the EDT is not
 * (ECDSA and the ephemeral keys are randomized), so the stored one must keep loading.
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
    byte[] edt = HEX.parseHex(EDT);
    SortedMap<Integer, PrivateKey> privateKeys = new TreeMap<>();
    SortedMap<Integer, ECPublicKey> members = new TreeMap<>();
    X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
    for (int i = 0; i < SCALARS.size(); i++) {
      BigInteger d = new BigInteger(SCALARS.get(i), 16);
      privateKeys.put(i, EcP256.privateKeyFromScalar(d));
      members.put(i, EcP256.publicKeyFromPoint(p256.getG().multiply(d).normalize().getEncoded(false)));
    }
    DomainToken token = DomainToken.parse(edt);
    assertThat(token.generation()).isEqualTo(9);
    assertThat(token.issuer()).isZero();
    assertThat(token.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
    for (int i = 0; i < SCALARS.size(); i++) {
      assertThat(new Hsm(i, privateKeys.get(i), members, RandomSource.secure()).loadDomainToken(edt)).isEqualTo(9);
      assertThat(token.open(i, privateKeys.get(i)).sameKeyAs(KeyMaterial.copyOf(DK))).isTrue();
    }
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
