package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
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
