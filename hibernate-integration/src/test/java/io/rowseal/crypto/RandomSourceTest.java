package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
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
  void secure_drawsOnTwoThreads_areIndependent() throws Exception {
    Set<String> a = new HashSet<>();
    Set<String> b = new HashSet<>();
    Thread t = new Thread(() -> draw(a));
    t.start();
    draw(b);
    t.join();
    a.retainAll(b);
    assertThat(a).isEmpty();
  }

  private static void draw(Set<String> into) {
    for (int i = 0; i < 2_000; i++) {
      byte[] out = new byte[16];
      RandomSource.secure().nextBytes(out);
      into.add(HexFormat.of().formatHex(out));
    }
  }
}
