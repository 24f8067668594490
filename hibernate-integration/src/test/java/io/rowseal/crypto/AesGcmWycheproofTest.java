package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowseal.IntegrityException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our AES-GCM wrapper against Wycheproof {@code aes_gcm_test.json} (test resources, with its LICENSE):
 * every {@code valid} case must encrypt to the expected ciphertext and tag and decrypt back; every
 * {@code invalid} case must be refused with {@link IntegrityException}. Failures are collected and
 * reported together.
 *
 * <p>Skipped, because the wrapper does not offer them: groups whose IV is not 96 bits (the wrapper's
 * only IV length) and tags other than 128 bits. All AES key sizes are exercised, although rowseal only
 * ever uses AES-256.
 */
class AesGcmWycheproofTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void wycheproofVectors_96bitIv128bitTag_allValidPassAndAllInvalidFail() throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/wycheproof/aes_gcm_test.json")) {
      root = new ObjectMapper().readTree(in);
    }
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : root.get("testGroups")) {
      if (group.get("ivSize").asInt() != 96 || group.get("tagSize").asInt() != 128) {
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        int id = t.get("tcId").asInt();
        byte[] key = hex(t, "key");
        byte[] iv = hex(t, "iv");
        byte[] aad = hex(t, "aad");
        byte[] msg = hex(t, "msg");
        byte[] ctTag = concat(hex(t, "ct"), hex(t, "tag"));
        KeyMaterial k = KeyMaterial.copyOf(key);
        String result = t.get("result").asText();
        try (KeyMaterial.Lease lease = k.lease()) {
          if (result.equals("valid")) {
            valid++;
            byte[] out = new byte[msg.length + AesGcm.TAG_LENGTH];
            AesGcm.seal(lease, iv, aad, msg, 0, msg.length, out, 0);
            if (!Arrays.equals(out, ctTag)) {
              failures.add("tcId " + id + ": encryption differs");
            }
            byte[] plain = AesGcm.open(lease, iv, 0, ctTag, 0, ctTag.length, aad);
            if (!Arrays.equals(plain, msg)) {
              failures.add("tcId " + id + ": decryption differs");
            }
          } else {
            invalid++;
            try {
              AesGcm.open(lease, iv, 0, ctTag, 0, ctTag.length, aad);
              failures.add("tcId " + id + ": invalid case was accepted (" + t.get("comment").asText() + ")");
            } catch (IntegrityException expected) {
              // refused, as it must be
            }
          }
        } catch (IntegrityException e) {
          failures.add("tcId " + id + ": valid case was refused");
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid).as("valid cases exercised").isGreaterThan(50);
    assertThat(invalid).as("invalid cases exercised").isGreaterThan(50);
  }

  @Test
  void encrypt_randomIvEachCall_roundTripsAndNeverRepeatsIv() throws Exception {
    KeyMaterial key = KeyMaterial.random256Of(RandomSource.secure());
    byte[] aad = "aad".getBytes();
    java.util.Set<String> ivs = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      byte[] ct = AesGcm.encrypt(key, RandomSource.secure(), "hello".getBytes(), aad);
      assertThat(ivs.add(HEX.formatHex(ct, 0, AesGcm.IV_LENGTH))).isTrue();
      assertThat(AesGcm.decrypt(key, ct, aad)).isEqualTo("hello".getBytes());
    }
  }

  private static byte[] hex(JsonNode t, String field) {
    return HEX.parseHex(t.get(field).asText());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
