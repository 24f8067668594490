package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.junit.jupiter.api.Test;

/**
 * SP 800-108 counter-mode KDF with HMAC-SHA256 against NIST CAVP vectors, and against Bouncy Castle's
 * general implementation.
 *
 * <p>Vectors: CAVP "SP800-108 - KDF" (CAVS 14.4, KDFCTR_gen), as published in the pyca/cryptography
 * repository at {@code vectors/cryptography_vectors/KDF/nist-800-108-KBKDF-CTR.txt}, section
 * {@code [PRF=HMAC_SHA256] [CTRLOCATION=BEFORE_FIXED] [RLEN=32_BITS]}: COUNT=11, 12, 13 and 19 (L = 256,
 * one HMAC block, exactly what rowseal derives), and COUNT=0 (L = 128, the first half of one block).
 */
class KbkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  /** {COUNT, L, KI, FixedInputData, KO}. */
  private static final String[][] CAVP = {
    {"0", "128", "dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0",
      "01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac",
      "10621342bfb0fd40046c0e29f2cfdbf0"},
    {"11", "256", "aeeeca60f689a441b13b0cbcd441d82df0cf87dac236290dece8931df8d70317",
      "588ec041e5733b7031212c5538efe4f6aafa4cda8b925d261f5a2688f007b3ac240ee12991e77b8cb8538678615966164a81872bd1cfcbfb39a4f450",
      "3e81d6113cee3c529ecedff89a6999ce25b618c15ee1d19d45cb376a1c8e2374"},
    {"12", "256", "95c8f76e11367eb55526a2b393ae906583d1cbdd47962146f506cc7cac12f464",
      "cad60e904b9e9c8bfeb4a81a7f67d3bddcc05e64255870403770f3533ae6dd634ceaa56c53e688bd137ae6018935f34b9fb084ea48e4c688f6bbb388",
      "cafa5ca03f5fbe2a242004abcbd3de1059c7407b1ee579255124af189be0b556"},
    {"13", "256", "4d05391fd6fb1e292e78ab9619b1b72a7d63ee59d7435dd71897b9ff7ee7ae70",
      "f078e6f9b7f82d64554fa6b604c808f19b1f6ad6727db7aa6f1c86694e104b5256c8b4039919646481d7ea2452c72c17a3e8d7d3916285460aa5eb81",
      "6b16e8f53b831aa5e86bf97a5c4fa37d089bc172da5a1e7f662dd4a595339ab7"},
    {"19", "256", "2eb0a49fd3199a57264f746b1c8acbc76f7ce51223f72134590fbbeb3176264b",
      "980a908ed38b6e699df3f44e651f0ad3a9d209d3867c495e52673855d09e4f1a58fb477067c400cacca9ab9260e205c4556905f2727925561280639c",
      "06d5adc2d5c517bf40406cc6bb56553b222f70abf2bb505584000e88628baf17"},
  };

  @Test
  void firstBlock_nistCavpVectors_match() {
    List<String> failures = new ArrayList<>();
    for (String[] v : CAVP) {
      byte[] block = Kbkdf.firstBlock(HEX.parseHex(v[2]), HEX.parseHex(v[3]));
      int bytes = Integer.parseInt(v[1]) / 8;
      if (!Arrays.equals(Arrays.copyOf(block, bytes), HEX.parseHex(v[4]))) {
        failures.add("COUNT=" + v[0]);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void derive_anyLabelAndContext_equalsBouncyCastleCounterModeGenerator() {
    byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    for (String label : new String[] {"rowseal/dek/v1", "x", "rowseal/cmk-wrap"}) {
      for (int contextLength : new int[] {0, 1, 16, 100}) {
        byte[] context = new byte[contextLength];
        Arrays.fill(context, (byte) contextLength);
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        byte[] fixed = new byte[labelBytes.length + 1 + contextLength + 4];
        System.arraycopy(labelBytes, 0, fixed, 0, labelBytes.length);
        System.arraycopy(context, 0, fixed, labelBytes.length + 1, contextLength);
        fixed[fixed.length - 2] = 1; // [256]_32 = 00 00 01 00

        KDFCounterBytesGenerator bc = new KDFCounterBytesGenerator(new HMac(new SHA256Digest()));
        bc.init(new KDFCounterParameters(key, null, fixed, 32));
        byte[] expected = new byte[32];
        bc.generateBytes(expected, 0, 32);

        assertThat(Kbkdf.derive(key, labelBytes, context))
            .as("label %s, context length %d", label, contextLength)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void deriveFromCached_manyDerivationsFromOneParent_equalDerive() {
    KeyMaterial parent = KeyMaterial.copyOf(HEX.parseHex(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    byte[] label = "rowseal/dek/v2".getBytes(StandardCharsets.UTF_8);
    java.util.List<String> mismatches = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] in = new byte[20];
      Arrays.fill(in, (byte) i);
      KeyMaterial kept = Kbkdf.deriveFromCached(parent, label, in, 2, 16);
      KeyMaterial fresh = Kbkdf.derive(parent, label, Arrays.copyOfRange(in, 2, 18));
      if (!kept.sameKeyAs(fresh)) {
        mismatches.add("derivation " + i);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void derive_differentLabelOrContext_givesDifferentKeys() {
    byte[] key = new byte[32];
    byte[] a = Kbkdf.derive(key, "a".getBytes(), new byte[16]);
    byte[] b = Kbkdf.derive(key, "b".getBytes(), new byte[16]);
    byte[] c = Kbkdf.derive(key, "a".getBytes(), new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
  }
}
