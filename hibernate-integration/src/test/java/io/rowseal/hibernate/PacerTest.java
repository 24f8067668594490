package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Throttling asks for exactly the sleeps that keep the rate, on a clock the test drives. */
class PacerTest {
  private long now;
  private final List<Duration> sleeps = new ArrayList<>();
  private final Pacer.Clock clock = new Pacer.Clock() {
    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      now += d.toNanos();
    }
  };

  @Test
  void pace_batchesAheadOfTheRate_sleepUntilTheyAreDue() {
    Pacer pacer = new Pacer(100, clock);

    now += Duration.ofMillis(200).toNanos();
    pacer.pace(50); // due at 500 ms
    now += Duration.ofMillis(600).toNanos();
    pacer.pace(50); // due at 1000 ms, it is 1100 ms: behind, no sleep

    assertThat(sleeps).containsExactly(Duration.ofMillis(300));
    assertThat(pacer.rate()).isEqualTo(100 / 1.1);
  }

  @Test
  void pace_withoutALimit_neverSleeps() {
    Pacer pacer = new Pacer(-1, clock);

    pacer.pace(1_000_000);

    assertThat(sleeps).isEmpty();
  }
}
