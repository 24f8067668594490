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
import org.junit.jupiter.api.Test;

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
