package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.keystore.InMemoryBranchKeyStore;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.kms.BackendCost;
import io.rowseal.kms.CostEstimate;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.aws.KmsWireEndpoint;
import io.rowseal.kms.local.KmsUsage;
import io.rowseal.kms.local.LocalKms;
import io.rowseal.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rowseal.kms=aws}: a session factory whose branch keys AWS KMS wraps, over HTTP to {@link KmsWireEndpoint}. */
class AwsKmsBootTest {
  private KmsWireEndpoint kms;
  private String previousKeyId;
  private String previousSecret;

  @BeforeEach
  void start() throws Exception {
    kms = new KmsWireEndpoint();
    // the SDK's default credentials chain reads these first
    previousKeyId = System.setProperty("aws.accessKeyId", "AKIDBOOT");
    previousSecret = System.setProperty("aws.secretAccessKey", "secret");
  }

  @AfterEach
  void stop() {
    restore("aws.accessKeyId", previousKeyId);
    restore("aws.secretAccessKey", previousSecret);
    kms.close();
  }

  @Test
  void boot_kmsAws_rowsRoundTripThroughKms() {
    String key = kms.createKey();
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings(key), Account.class)) {
      jpa.inTransaction(s -> {
        for (long i = 1; i <= 50; i++) {
          s.persist(new Account(i));
        }
      });
      String email = jpa.fromTransaction(s -> s.find(Account.class, 7L).email);

      assertThat(email).isEqualTo("user7@example.org");
      assertThat(kms.requests()).extracting(KmsWireEndpoint.Request::target)
          .contains("TrentService.GenerateDataKey")
          .allMatch(t -> t.startsWith("TrentService."));
      assertThat(kms.requests()).allSatisfy(r -> assertThat(r.header("authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDBOOT/"));
      assertThat(kms.requests()).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void boot_kmsAwsOverLocalKms_tenThousandRowWrites_atMostTwoRequests_andTheirEstimateIsLocalKmsUsages()
      throws Exception {
    try (HikariDataSource kmsTables = TestDatabase.H2.dataSource();
        KmsWireEndpoint local = KmsWireEndpoint.overLocalKms(kmsTables, null, 0)) {
      LocalKms backend = (LocalKms) local.backend();
      String key = local.createKey();
      KmsUsage before = backend.usage();
      Map<String, Object> settings = settings(key);
      settings.put(RowsealSettings.KMS + ".aws.endpoint", local.uri().toString());
      settings.put("hibernate.jdbc.batch_size", 100);
      try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
        for (long from = 1; from <= 10_000; from += 1_000) {
          long start = from;
          jpa.inTransaction(s -> {
            for (long i = start; i < start + 1_000; i++) {
              s.persist(new Account(i));
            }
          });
        }
        String email = jpa.fromTransaction(s -> s.find(Account.class, 9_999L).email);
        assertThat(email).isEqualTo("user9999@example.org");
      }
      // what the SDK really sent, counted at the HTTP endpoint
      long sent = local.requests().size();
      assertThat(sent).as("KMS requests for 10,000 row writes").isBetween(1L, 2L);
      assertThat(local.requests("GenerateDataKey")).isEqualTo(1);
      // LocalKms served exactly those: its usage counters (which the demo's and benchmarks' estimates
      // read) price the same as the requests AWS would have billed
      KmsUsage after = backend.usage();
      long served = after.totalRequests() - before.totalRequests();
      assertThat(served).isEqualTo(sent);
      assertThat(BackendCost.AWS.monthlyDollars(sent, 1))
          .isEqualByComparingTo(CostEstimate.SEED_PRICES.monthlyDollars(served, after.cmkCount()))
          .isEqualByComparingTo("1.00");
      // a month at the seed's 100 row writes/s, were every 10,000 writes to cost what these did: still $1.10
      long month = 100L * 30 * 24 * 3600 / 10_000 * 2;
      assertThat(BackendCost.AWS.monthlyDollars(month, 1)).isEqualByComparingTo("1.10");
    }
  }

  @Test
  void boot_kmsAwsWithoutCmkId_failsNamingTheSetting() {
    Map<String, Object> settings = settings(null);
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, settings, Account.class).close());

    KmsException e = Causes.find(thrown, KmsException.class);
    assertThat(e.code()).isEqualTo("RS-2023");
    assertThat(e).hasMessageContaining(RowsealSettings.CMK_ID);
    assertThat(kms.requests()).isEmpty();
  }

  private Map<String, Object> settings(String key) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(RowsealSettings.ENVELOPE, "");
    settings.put(RowsealSettings.KMS, "aws");
    settings.put(RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore());
    settings.put(RowsealSettings.CMK_ID, key == null ? "" : key);
    settings.put("rowseal.kms.aws.region", "us-east-1");
    settings.put("rowseal.kms.aws.endpoint", kms.uri().toString());
    return settings;
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
