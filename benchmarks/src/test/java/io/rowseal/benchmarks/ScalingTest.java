package io.rowseal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void measure_oneRound_ratesEveryOperationOnOneAndTwoThreads() throws Exception {
    Map<String, Scaling.Figure> figures = Scaling.measure(1);

    assertThat(figures).containsOnlyKeys("floor encrypt-row", "floor decrypt-row", "rowseal encrypt-row",
        "rowseal decrypt-row, warm DEK cache", "rowseal decrypt-row, cold DEK cache");
    figures.forEach((operation, f) -> {
      assertThat(f.best1()).as("%s, one thread", operation).isPositive().isFinite();
      assertThat(f.best2()).as("%s, two threads", operation).isPositive().isFinite();
      assertThat(f.bestRatio()).as(operation).isEqualTo(f.best2() / f.best1());
    });
  }
}
