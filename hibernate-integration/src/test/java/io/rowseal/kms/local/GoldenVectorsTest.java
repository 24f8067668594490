package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
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
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of the persisted layouts (docs/KEY-HIERARCHY.md): tokens written by this version must
 * stay readable by every later one. The EKT is deterministic given the random source, so it is
 * rebuilt and also opened from its documented layout with the JDK's own AES-GCM; the EDT is not
 * (ECDSA and the ephemeral keys are randomized), so the stored one must keep loading.
 */
class GoldenVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] DK = GoldenTokens.DK;
  private static final byte[] CMK = GoldenTokens.CMK;
  private static final String EKT = GoldenTokens.EKT;
  private static final String EDT = GoldenTokens.EDT;

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
    SortedMap<Integer, KeyPair> pairs = GoldenTokens.keyPairs();
    SortedMap<Integer, ECPublicKey> members = new TreeMap<>();
    pairs.forEach((i, kp) -> members.put(i, (ECPublicKey) kp.getPublic()));
    DomainToken token = DomainToken.parse(edt);
    assertThat(token.generation()).isEqualTo(9);
    assertThat(token.issuer()).isZero();
    assertThat(token.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(new Hsm(i, pairs.get(i).getPrivate(), members, RandomSource.secure()).loadDomainToken(edt)).isEqualTo(9);
      assertThat(token.open(i, pairs.get(i).getPrivate()).sameKeyAs(KeyMaterial.copyOf(DK))).isTrue();
    }
  }
}
