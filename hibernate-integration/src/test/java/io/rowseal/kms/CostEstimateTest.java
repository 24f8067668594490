package io.rowseal.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostEstimateTest {
  private final CostEstimate prices = CostEstimate.SEED_PRICES;

  @Test
  void monthlyDollars_withinFreeRequests_costsOnlyTheCmks() {
    assertThat(prices.monthlyDollars(0, 2)).isEqualByComparingTo("2.00");
    assertThat(prices.monthlyDollars(20_000, 1)).isEqualByComparingTo("1.00");
  }

  @Test
  void monthlyDollars_beyondFreeRequests_chargesThreeCentsPerTenThousandProRata() {
    assertThat(prices.monthlyDollars(30_000, 1)).isEqualByComparingTo("1.03");
    assertThat(prices.monthlyDollars(1_000_000, 1)).isEqualByComparingTo("3.94");
    assertThat(prices.monthlyDollars(25_000, 0)).isEqualByComparingTo("0.02"); // 0.015 rounds half up
  }

  @Test
  void monthlyDollars_quotaSaturatedForAMonth_isTheLecturesOrderOfMagnitude() {
    // 10,000 requests/s for 30 days: 25.92 billion requests.
    long requests = 10_000L * 86_400 * 30;
    assertThat(prices.monthlyDollars(requests, 1)).isEqualByComparingTo("77760.94");
  }

  @Test
  void monthlyDollars_keyHierarchyDocExamples_matchTheDoc() {
    // docs/KEY-HIERARCHY.md: a KMS call per row write at 100 rows/s vs. a 5-minute branch-key cache.
    assertThat(prices.monthlyDollars(100L * 86_400 * 30, 1)).isEqualByComparingTo("778.54");
    assertThat(prices.monthlyDollars(10L * 5 * 12 * 24 * 30, 1)).isEqualByComparingTo("2.24");
  }

  @Test
  void dollars_overSeveralMonths_sumsEachMonth() {
    assertThat(prices.dollars(List.of(0L, 30_000L, 1_000_000L), 1)).isEqualByComparingTo("5.97");
  }

  @Test
  void monthlyDollars_negativeInput_isRejected() {
    assertThatThrownBy(() -> prices.monthlyDollars(-1, 1))
        .hasMessage("requests and cmkCount must not be negative, were -1 and 1");
  }
}
