package io.rowseal.kms.local;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.local.KmsTables.CmkRow;
import io.rowseal.kms.local.KmsTables.EktRow;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The golden vectors of LocalKms's persisted tokens (docs/KEY-HIERARCHY.md): an EKT, and an EDT of a golden
 * three-HSM domain whose private scalars are known. Shared by {@link GoldenVectorsTest} and the fuzz targets
 * of the token formats.
 */
final class GoldenTokens {
  private static final HexFormat HEX = HexFormat.of();

  static final byte[] DK = filled(0x11);
  static final byte[] CMK = filled(0x22);

  static final String EKT = "010000000000000007a5a5a5a5a5a5a5a5a5a5a5a53252ae7a51f3fb76a1707b79fc93f82"
      + "eab257e6c20a680b14fc084d78cccd641bbd2927fad1c5e72f00a6bc7fb21d770";

  /** HSM private scalars of the golden domain, HSM 0 to 2. */
  static final List<String> SCALARS = List.of(
      "4c44bcbac1beb59f995bb3fd6c7b8050537cb63dc945603f5466efbfa4ecd8c8",
      "b042d94e92febe3b68ae75e77721266c4c1e79ced9184929fba587ad8add5ea0",
      "fcbf86432169315b9520e4316e791fcb855d0eeabd70fc5337fbb821090f91ef");
  /** EDT v1: generation 9, issued by HSM 0 at 2025-01-02T03:04:05.678Z, sharing DK = 0x11 × 32. */
  static final String EDT = "0100000000000000090000019424f8632e00000003eadd15825e79b2e08e482c2490f34c7af1"
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

  /** Generation, DK and issue time of {@link #EDT}. */
  static final long EDT_GENERATION = 9;
  static final Instant EDT_CREATED_AT = Instant.parse("2025-01-02T03:04:05.678Z");
  /** What {@link #EKT} is bound to; it is sealed under DK generation 7. */
  static final KeyToken.Binding EKT_BINDING = new KeyToken.Binding("cmk-golden", 3, Instant.parse("2025-01-01T00:00:00Z"));
  static final long EKT_GENERATION = 7;
  /** Randomness that is always {@code 0xA5}: what {@link #EKT} was sealed with. */
  static final RandomSource FIXED_RANDOM = out -> Arrays.fill(out, (byte) 0xA5);

  private GoldenTokens() {}

  static byte[] edt() {
    return HEX.parseHex(EDT);
  }

  static byte[] ekt() {
    return HEX.parseHex(EKT);
  }

  /** The key pairs of the golden domain's HSMs 0 to 2. */
  static SortedMap<Integer, KeyPair> keyPairs() {
    SortedMap<Integer, KeyPair> pairs = new TreeMap<>();
    X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
    try {
      for (int i = 0; i < SCALARS.size(); i++) {
        BigInteger d = new BigInteger(SCALARS.get(i), 16);
        pairs.put(i, new KeyPair(EcP256.publicKeyFromPoint(p256.getG().multiply(d).normalize().getEncoded(false)),
            EcP256.privateKeyFromScalar(d)));
      }
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("golden HSM scalars", e);
    }
    return pairs;
  }

  /**
   * A key ring on the golden domain, loaded from {@link #EDT}, holding one CMK ({@code cmkId}, version 1, key
   * material {@link #CMK}) sealed under the EDT's domain key with {@link #FIXED_RANDOM}: every wrap it makes
   * with that randomness is reproducible. No tables: it must not be asked to change state.
   */
  static KeyRing keyRing(String cmkId) {
    HsmDomain domain = HsmDomain.of(keyPairs(), FIXED_RANDOM);
    try {
      domain.load(edt());
    } catch (io.rowseal.IntegrityException e) {
      throw new IllegalStateException("the golden domain refuses its own EDT", e);
    }
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    byte[] ekt = KeyToken.seal(KeyMaterial.copyOf(DK), EDT_GENERATION, KeyMaterial.copyOf(CMK),
        new KeyToken.Binding(cmkId, 1, created), FIXED_RANDOM);
    KeyRing ring = new KeyRing(domain, null, Clock.fixed(EDT_CREATED_AT, ZoneOffset.UTC), FIXED_RANDOM);
    ring.setGeneration(EDT_GENERATION, EDT_CREATED_AT, (byte) 1);
    CmkRow row = new CmkRow(cmkId, "golden", KeyState.ENABLED, created, null);
    KmsTables.StateMac mac = new KmsTables.StateMac(EDT_GENERATION,
        CmkStateMac.compute(KeyMaterial.copyOf(DK), EDT_GENERATION, row));
    ring.restore(List.of(new KmsTables.StoredCmk(row, mac)), List.of(new EktRow(cmkId, 1, EDT_GENERATION, ekt, created)));
    return ring;
  }

  /** The encryption context rowseal wraps branch-key version {@code keyId#version} under (BranchKeyCache). */
  static EncryptionContext branchKeyContext(String keyId, int version) {
    return EncryptionContext.of("rowseal:branch-key-id", keyId, "rowseal:branch-key-version", Integer.toString(version));
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
