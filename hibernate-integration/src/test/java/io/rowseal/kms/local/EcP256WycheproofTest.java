package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof vectors (src/test/resources/wycheproof, see SOURCE.md there) against {@link EcP256}, the
 * ECDH and ECDSA wrappers of the domain tokens. Every {@code valid} case must be accepted with the
 * expected result and every {@code invalid} case rejected; all failures are collected and the list
 * must be empty (the loop of Tink's {@code AesGcmAeadTest}).
 *
 * <p>Skipped: {@code acceptable} cases are run but not judged — Wycheproof allows either outcome. For
 * ECDH they are mostly {@code InvalidAsn} (non-DER encodings of the X.509 key), {@code UnusedParam},
 * {@code CompressedPublic}/{@code CompressedPoint} (SunEC does not decode compressed points; our tokens
 * always carry uncompressed points) and explicit-parameter keys ({@code UnnamedCurve},
 * {@code ModifiedCofactor}, …) that equal P-256: our wrapper accepts those only when every parameter
 * is P-256's. No ECDSA case is skipped: the file has no {@code acceptable} cases, and the wrapper
 * rejects every BER or otherwise non-canonical signature encoding itself ({@code BerEncodedSignature},
 * {@code InvalidEncoding}, {@code MissingZero}), without relying on the JDK's decoder.
 */
class EcP256WycheproofTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void agree_wycheproofEcdhSecp256r1_acceptsEveryValidAndRejectsEveryInvalid() throws IOException {
    JsonNode root = load("ecdh_secp256r1_test.json");
    List<String> failures = new ArrayList<>();
    int judged = 0;
    for (JsonNode group : root.get("testGroups")) {
      assertThat(group.get("curve").asText()).isEqualTo("secp256r1");
      assertThat(group.get("encoding").asText()).isEqualTo("asn");
      for (JsonNode t : group.get("tests")) {
        String result = t.get("result").asText();
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ", " + t.get("flags") + ")";
        byte[] shared;
        try {
          ECPublicKey pub = EcP256.publicKeyFromX509(HEX.parseHex(t.get("public").asText()));
          ECPrivateKey priv = EcP256.privateKeyFromScalar(new BigInteger(t.get("private").asText(), 16));
          shared = EcP256.agree(priv, pub);
        } catch (GeneralSecurityException e) {
          shared = null;
        }
        if (result.equals("acceptable")) {
          continue;
        }
        judged++;
        if (result.equals("valid") && shared == null) {
          failures.add(id + ": valid case rejected");
        } else if (result.equals("valid") && !Arrays.equals(shared, HEX.parseHex(t.get("shared").asText()))) {
          failures.add(id + ": wrong shared secret");
        } else if (result.equals("invalid") && shared != null) {
          failures.add(id + ": invalid case accepted");
        }
      }
    }
    assertThat(judged).as("judged cases").isGreaterThan(300);
    assertThat(failures).isEmpty();
  }

  @Test
  void verify_wycheproofEcdsaSecp256r1Sha256_acceptsEveryValidAndRejectsEveryInvalid() throws IOException {
    JsonNode root = load("ecdsa_secp256r1_sha256_test.json");
    List<String> failures = new ArrayList<>();
    int judged = 0;
    for (JsonNode group : root.get("testGroups")) {
      assertThat(group.get("sha").asText()).isEqualTo("SHA-256");
      ECPublicKey pub;
      try {
        pub = EcP256.publicKeyFromX509(HEX.parseHex(group.get("publicKeyDer").asText()));
      } catch (GeneralSecurityException e) {
        failures.add("group key " + group.get("publicKeyDer").asText() + " rejected: " + e.getMessage());
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        String result = t.get("result").asText();
        String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + ", " + t.get("flags") + ")";
        boolean ok = EcP256.verify(pub, HEX.parseHex(t.get("msg").asText()), HEX.parseHex(t.get("sig").asText()));
        if (result.equals("acceptable")) {
          continue;
        }
        judged++;
        if (result.equals("valid") && !ok) {
          failures.add(id + ": valid signature rejected");
        } else if (result.equals("invalid") && ok) {
          failures.add(id + ": invalid signature accepted");
        }
      }
    }
    assertThat(judged).as("judged cases").isEqualTo(root.get("numberOfTests").asInt());
    assertThat(failures).isEmpty();
  }

  @Test
  void signThenVerify_freshKeyPair_roundTripsAndRejectsOtherMessage() {
    var kp = EcP256.generateKeyPair();
    byte[] sig = EcP256.sign(kp.getPrivate(), new byte[] {1, 2, 3});
    assertThat(EcP256.verify((ECPublicKey) kp.getPublic(), new byte[] {1, 2, 3}, sig)).isTrue();
    assertThat(EcP256.verify((ECPublicKey) kp.getPublic(), new byte[] {1, 2, 4}, sig)).isFalse();
  }

  private static JsonNode load(String name) throws IOException {
    try (InputStream in = EcP256WycheproofTest.class.getResourceAsStream("/wycheproof/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }
}
