package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.DrbgParameters;
import java.security.SecureRandomParameters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomSourceTest {

  @Test
  void secure_manySmallAndLargeDraws_neverRepeatAcrossBlockBoundaries() {
    Set<String> seen = new HashSet<>();
    RandomSource random = RandomSource.secure();
    for (int i = 0; i < 20_000; i++) {
      int length = new int[] {12, 16, 32, 200}[i % 4];
      byte[] out = new byte[length];
      random.nextBytes(out);
      assertThat(seen.add(HexFormat.of().formatHex(out))).as("draw %d of %d bytes", i, length).isTrue();
    }
  }

  @Test
  void secure_generators_areHashDrbgsAt256BitsAndKeysGetPredictionResistance() {
    SecureRandomParameters[] p = RandomSource.SecureSource.parameters();

    assertThat(p[0]).isInstanceOfSatisfying(DrbgParameters.Instantiation.class, nonces -> {
      assertThat(nonces.getStrength()).isEqualTo(256);
      assertThat(nonces.getCapability()).isEqualTo(DrbgParameters.Capability.RESEED_ONLY);
    });
    assertThat(p[1]).isInstanceOfSatisfying(DrbgParameters.Instantiation.class, keys -> {
      assertThat(keys.getStrength()).isEqualTo(256);
      assertThat(keys.getCapability()).isEqualTo(DrbgParameters.Capability.PR_AND_RESEED);
    });
  }

  @Test
  void random256Of_drawsKeyMaterial_notNonceBytes() {
    List<String> draws = new ArrayList<>();
    RandomSource recording = new RandomSource() {
      @Override
      public void nextBytes(byte[] out) {
        draws.add("nonce " + out.length);
      }

      @Override
      public void nextKeyBytes(byte[] out) {
        draws.add("key " + out.length);
      }
    };

    KeyMaterial.random256Of(recording).destroy();

    assertThat(draws).containsExactly("key 32");
  }

  @Test
  void secure_keyBytes_neverRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      byte[] key = new byte[32];
      RandomSource.secure().nextKeyBytes(key);
      assertThat(seen.add(HexFormat.of().formatHex(key))).as("key %d", i).isTrue();
    }
  }

  @Test
  void secure_drawsOnTwoThreads_areIndependent() throws Exception {
    FutureTask<Set<String>> other = new FutureTask<>(RandomSourceTest::draw);
    new Thread(other, "second drawer").start();
    Set<String> mine = draw();
    Set<String> theirs = other.get(); // rethrows what the other thread threw
    assertThat(mine).hasSize(DRAWS);
    assertThat(theirs).hasSize(DRAWS);
    theirs.retainAll(mine);
    assertThat(theirs).isEmpty();
  }

  @Test
  void secure_keyDraws_readTheOperatingSystemWhereItHasUrandom() {
    org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/dev/urandom").canRead(),
        "no /dev/urandom on this system: key draws use the prediction-resistant DRBG");
    assertThat(RandomSource.SecureSource.readsOperatingSystem()).isTrue();
  }

  @Test
  void drawFresh_twoCopiesWithTheSameBlock_divergeByWhatTheSystemReadsNow(@TempDir Path dir) throws Exception {
    // two copies of one process: the same inherited block bytes, the system's bytes read after the copy
    RandomSource inheritedBlock = out -> java.util.Arrays.fill(out, (byte) 0x5a);
    // (the first 16 bytes of each "device" go to the probe read when it is opened)
    Path original = Files.write(dir.resolve("original"),
        HexFormat.of().parseHex("00".repeat(16) + "00112233445566778899aabbccddeeff"));
    Path copy = Files.write(dir.resolve("copy"),
        HexFormat.of().parseHex("00".repeat(16) + "ffeeddccbbaa99887766554433221100"));
    byte[] a = new byte[16];
    byte[] b = new byte[16];

    assertThat(RandomSource.SecureSource.drawFresh(a, new OsEntropy(original.toString()), inheritedBlock)).isTrue();
    assertThat(RandomSource.SecureSource.drawFresh(b, new OsEntropy(copy.toString()), inheritedBlock)).isTrue();

    assertThat(a).isNotEqualTo(b);
    assertThat(a).isEqualTo(HexFormat.of().parseHex("5a4b78691e0f3c2dd2c3f0e19687b4a5"));
  }

  @Test
  void osEntropy_readsEachDrawAfresh_withoutBuffering(@TempDir Path dir) throws Exception {
    byte[] content = new byte[64];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    Path device = Files.write(dir.resolve("device"), content);
    OsEntropy os = new OsEntropy(device.toString());
    byte[] first = new byte[16];
    byte[] second = new byte[16];

    assertThat(os.read(first)).isTrue();
    assertThat(os.read(second)).isTrue();

    // bytes 0..15 went to the probe at open; each read takes exactly the next bytes, nothing read ahead
    assertThat(first).isEqualTo(java.util.Arrays.copyOfRange(content, 16, 32));
    assertThat(second).isEqualTo(java.util.Arrays.copyOfRange(content, 32, 48));
  }

  @Test
  void osEntropy_withoutTheDevice_isUnavailableAndKeyDrawsFallBack() {
    OsEntropy absent = new OsEntropy("/nonexistent/urandom");
    byte[] out = new byte[16];

    assertThat(absent.available()).isFalse();
    assertThat(absent.read(out)).isFalse();
    assertThat(RandomSource.SecureSource.drawFresh(out, absent, RandomSource.secure())).isFalse();
  }

  private static final int DRAWS = 2_000;

  private static Set<String> draw() {
    Set<String> drawn = new HashSet<>();
    for (int i = 0; i < DRAWS; i++) {
      byte[] out = new byte[16];
      RandomSource.secure().nextBytes(out);
      drawn.add(HexFormat.of().formatHex(out));
    }
    return drawn;
  }
}
