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

  @Test
  void backends_aws_billsTheSeedsPricesUnderTheSeedsQuota() {
    BackendCost aws = BackendCost.of("aws");
    assertThat(aws.prices()).isEqualTo(CostEstimate.SEED_PRICES);
    assertThat(aws.billed()).isTrue();
    assertThat(aws.monthlyDollars(1_000_000, 1)).isEqualByComparingTo("3.94");
    assertThat(aws.requestsPerSecondLimit()).isEqualTo(10_000);
    assertThat(aws.withinLimit(10_000)).isTrue();
    assertThat(aws.withinLimit(10_001)).isFalse();
  }

  @Test
  void backends_localPkcs11InMemory_billNothing_andSayWhatTheyCostInstead() {
    for (String name : List.of("local", "pkcs11", "in-memory")) {
      BackendCost backend = BackendCost.of(name);
      assertThat(backend.billed()).as(name).isFalse();
      assertThat(backend.monthlyDollars(1_000_000, 3)).as(name).isEqualByComparingTo("0.00");
      assertThat(backend.otherCosts()).as(name).isNotBlank();
    }
    assertThat(BackendCost.LOCAL.requestsPerSecondLimit()).isEqualTo(10_000);
    assertThat(BackendCost.LOCAL.limit()).contains("rowseal.kms.local.quota");
    assertThat(BackendCost.LOCAL.otherCosts()).contains("CPU").contains("audit log");
    // a PKCS#11 HSM's limit is the device's: rowseal does not guess it
    assertThat(BackendCost.PKCS11.requestsPerSecondLimit()).isZero();
    assertThat(BackendCost.PKCS11.withinLimit(1_000_000)).isTrue();
    assertThat(BackendCost.PKCS11.limit()).contains("HSM");
  }

  @Test
  void backends_allNamedAsRowsealKmsNamesThem_unknownNameListsTheKnown() {
    assertThat(BackendCost.all()).extracting(BackendCost::backend)
        .containsExactly("aws", "local", "pkcs11", "in-memory");
    assertThat(BackendCost.of(" AWS ")).isSameAs(BackendCost.AWS);
    assertThatThrownBy(() -> BackendCost.of("vault"))
        .hasMessage("no cost model for key backend 'vault'; known: [aws, local, pkcs11, in-memory]");
  }
}
