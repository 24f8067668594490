package io.rowseal.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.RowsealException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.Retrying;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsKmsCmkProvider} with the real AWS SDK over HTTP against {@link KmsWireEndpoint}: what the
 * SDK sends, and how KMS's answers and errors reach rowseal.
 */
class AwsKmsWireTest {
  private static final EncryptionContext CONTEXT = EncryptionContext.of("rowseal:branch-key", "default",
      "rowseal:version", "1");

  private final KmsWireEndpoint kms = newEndpoint();
  private final String key = kms.createKey();
  private final AwsKmsCmkProvider provider = new AwsKmsCmkProvider(kms.client(3), true, Set.of(key));

  @AfterEach
  void close() {
    provider.close();
    kms.close();
  }

  private static KmsWireEndpoint newEndpoint() {
    try {
      return new KmsWireEndpoint();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void envelope_overTheWire_roundTripsRows_andSendsSignedKmsJson() throws Exception {
    try (Envelope envelope = Envelope.builder().cmkProvider(provider).branchKeyStore(new InMemoryBranchKeyStore())
        .cmkId(key).build()) {
      byte[] stored = envelope.encrypt(bytes("123-45-6789"), "Customer.ssn");
      assertThat(envelope.decrypt(stored, "Customer.ssn")).isEqualTo(bytes("123-45-6789"));
    }
    List<KmsWireEndpoint.Request> requests = kms.requests();
    assertThat(requests).extracting(KmsWireEndpoint.Request::target).contains("TrentService.GenerateDataKey");
    for (KmsWireEndpoint.Request r : requests) {
      assertThat(r.target()).startsWith("TrentService.");
      assertThat(r.header("content-type")).isEqualTo("application/x-amz-json-1.1");
      assertThat(r.header("authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/us-east-1/kms/aws4_request").contains("SignedHeaders=").contains("Signature=");
      assertThat(r.header("x-amz-date")).isNotNull();
      assertThat(r.body().path("KeyId").asText()).isEqualTo(key);
    }
    KmsWireEndpoint.Request generate = requests.stream()
        .filter(r -> r.target().equals("TrentService.GenerateDataKey")).findFirst().orElseThrow();
    assertThat(generate.body().path("KeySpec").asText()).isEqualTo("AES_256");
    assertThat(generate.body().path("EncryptionContext").size()).isPositive();
  }

  @Test
  void unwrap_afterRestart_sendsDecryptWithPinnedKeyContextAndBase64Blob() throws Exception {
    DataKey dk = provider.generateDataKey(key, CONTEXT);
    try (AwsKmsCmkProvider restarted = new AwsKmsCmkProvider(kms.client(3), true, Set.of(key))) {
      kms.clearRequests();
      assertThat(restarted.unwrap(key, dk.wrapped(), CONTEXT).sameKeyAs(dk.plaintext())).isTrue();
    }
    KmsWireEndpoint.Request decrypt = kms.requests().stream()
        .filter(r -> r.target().equals("TrentService.Decrypt")).findFirst().orElseThrow();
    assertThat(decrypt.body().path("KeyId").asText()).isEqualTo(key);
    assertThat(Base64.getDecoder().decode(decrypt.body().path("CiphertextBlob").asText())).isEqualTo(dk.wrapped());
    Map<String, String> sent = new HashMap<>();
    decrypt.body().path("EncryptionContext").fields().forEachRemaining(e -> sent.put(e.getKey(), e.getValue().asText()));
    assertThat(sent).isEqualTo(CONTEXT.asMap());
  }

  @Test
  void wrap_thenUnwrap_givesTheKeyBack() throws Exception {
    KeyMaterial k = KeyMaterial.copyOf(new byte[32]);
    byte[] blob = provider.wrap(key, k, CONTEXT);
    assertThat(kms.requests()).extracting(KmsWireEndpoint.Request::target).contains("TrentService.Encrypt");
    assertThat(provider.unwrap(key, blob, CONTEXT).sameKeyAs(k)).isTrue();
  }

  @Test
  void unwrap_otherContext_integrityException() {
    DataKey dk = provider.generateDataKey(key, CONTEXT);
    EncryptionContext other = EncryptionContext.of("rowseal:branch-key", "default", "rowseal:version", "2");
    assertThatThrownBy(() -> provider.unwrap(key, dk.wrapped(), other))
        .isInstanceOf(IntegrityException.class).hasMessageContaining(key).hasMessageContaining("Decrypt");
  }

  @Test
  void unwrap_blobOfAnotherKey_refusedByKmsAndByTheAnswersKeyId() {
    String otherKey = kms.createKey();
    try (AwsKmsCmkProvider both = new AwsKmsCmkProvider(kms.client(3), true, Set.of(key, otherKey))) {
      DataKey underOther = both.generateDataKey(otherKey, CONTEXT);
      // KMS refuses: Decrypt names the pinned key, the blob another (IncorrectKeyException)
      assertThatThrownBy(() -> both.unwrap(key, underOther.wrapped(), CONTEXT))
          .isInstanceOf(IntegrityException.class).hasMessageContaining("IncorrectKeyException");
      // a KMS that answers for the key the blob names is not believed either
      kms.ignoreRequestKeyId.set(true);
      assertThatThrownBy(() -> both.unwrap(key, underOther.wrapped(), CONTEXT))
          .isInstanceOf(IntegrityException.class).hasMessageContaining("another key");
    }
  }

  @Test
  void keyNotPinned_refusedWithoutAnyRequest() {
    String otherKey = kms.createKey();
    kms.clearRequests();
    assertThatThrownBy(() -> provider.generateDataKey(otherKey, CONTEXT))
        .isInstanceOf(KmsException.class).hasMessageStartingWith("RS-2022").hasMessageContaining(otherKey);
    assertThat(kms.requests()).isEmpty();
  }

  @Test
  void createKeyAndScheduleDeletion_refused() {
    assertThatThrownBy(() -> provider.createKey("x")).isInstanceOf(KmsException.class)
        .hasMessageStartingWith("RS-2021");
    assertThatThrownBy(() -> provider.scheduleDeletion(key, Duration.ofDays(7))).isInstanceOf(KmsException.class)
        .hasMessageStartingWith("RS-2021").hasMessageContaining(key);
    assertThat(kms.requests()).isEmpty();
  }

  @Test
  void describe_givesStateAndCreation() {
    var m = provider.describe(key);
    assertThat(m.cmkId()).isEqualTo(key);
    assertThat(m.state()).isEqualTo(KeyState.ENABLED);
    assertThat(m.createdAt()).isNotNull();
  }

  @Test
  void throttlingOnce_retriedBySdk() throws Exception {
    kms.failNext(1, 400, "ThrottlingException");
    DataKey dk = provider.generateDataKey(key, CONTEXT);
    assertThat(kms.requests()).hasSize(2);
    assertThat(provider.unwrap(key, dk.wrapped(), CONTEXT).sameKeyAs(dk.plaintext())).isTrue();
  }

  @Test
  void throttlingPersisting_retriedBySdkAndRowseal_thenRs2003() {
    Retrying retrying = Retrying.of(provider, 2, Duration.ofMillis(1), Duration.ofMillis(2));
    kms.failAlways(400, "ThrottlingException");
    assertThatThrownBy(() -> retrying.generateDataKey(key, CONTEXT))
        .isInstanceOf(KmsException.Throttled.class).hasMessageStartingWith("RS-2003")
        .hasMessageContaining(key).hasMessageContaining("GenerateDataKey");
    // 3 SDK attempts under each of 2 rowseal attempts
    assertThat(kms.requests()).hasSize(6);
    assertThat(retrying.retries()).isEqualTo(1);
    kms.heal();
    assertThat(retrying.generateDataKey(key, CONTEXT).wrapped()).isNotEmpty();
  }

  @Test
  void serverError_retriedBySdk_thenRs2004() throws Exception {
    kms.failNext(2, 500, "KMSInternalException");
    assertThat(provider.generateDataKey(key, CONTEXT).wrapped()).isNotEmpty();
    assertThat(kms.requests()).hasSize(3);
    kms.clearRequests();
    kms.failAlways(503, "ServiceUnavailableException");
    assertThatThrownBy(() -> provider.generateDataKey(key, CONTEXT))
        .isInstanceOf(KmsException.Unavailable.class).hasMessageStartingWith("RS-2004").hasMessageContaining(key);
    assertThat(kms.requests()).hasSize(3);
  }

  @Test
  void kmsErrors_mapToRsCodes_namingKeyAndOperation_neverTheBlob() throws Exception {
    DataKey dk = provider.generateDataKey(key, CONTEXT);
    String blob64 = Base64.getEncoder().encodeToString(dk.wrapped());
    Map<String, String> expected = Map.of(
        "NotFoundException", "RS-2001",
        "DisabledException", "RS-2002",
        "KMSInvalidStateException", "RS-2002",
        "AccessDeniedException", "RS-2024",
        "LimitExceededException", "RS-2003");
    for (var e : expected.entrySet()) {
      kms.heal();
      kms.failAlways(400, e.getKey());
      assertThatThrownBy(() -> provider.unwrap(key, dk.wrapped(), CONTEXT)).as(e.getKey())
          .isInstanceOf(RowsealException.class).hasMessageStartingWith(e.getValue())
          .hasMessageContaining(key).hasMessageContaining("Decrypt")
          .hasMessageNotContaining(blob64);
    }
    kms.heal();
    kms.failAlways(400, "InvalidCiphertextException");
    assertThatThrownBy(() -> provider.unwrap(key, dk.wrapped(), CONTEXT)).isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key).hasMessageNotContaining(blob64);
  }

  @Test
  void reEncrypt_overLocalKms_throughTheSdk_movesTheBlobToTheDestinationKeyAndContext() throws Exception {
    try (HikariDataSource db = TestDatabase.H2.dataSource();
        KmsWireEndpoint local = KmsWireEndpoint.overLocalKms(db, null, 0);
        KmsClient client = local.client(1)) {
      String source = local.createKey();
      String destination = local.createKey();
      EncryptionContext moved = EncryptionContext.of("rowseal:branch-key", "default", "rowseal:version", "7");
      try (AwsKmsCmkProvider both = new AwsKmsCmkProvider(local.client(1), true, Set.of(source, destination))) {
        DataKey dk = both.generateDataKey(source, CONTEXT);

        ReEncryptResponse r = client.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(dk.wrapped()))
            .sourceKeyId(source).sourceEncryptionContext(CONTEXT.asMap())
            .destinationKeyId(destination).destinationEncryptionContext(moved.asMap()));

        assertThat(r.sourceKeyId()).isEqualTo(source);
        assertThat(r.keyId()).isEqualTo(destination);
        byte[] blob = r.ciphertextBlob().asByteArray();
        assertThat(both.unwrap(destination, blob, moved).sameKeyAs(dk.plaintext())).isTrue();
        assertThatThrownBy(() -> both.unwrap(destination, blob, CONTEXT)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> both.unwrap(source, blob, moved)).isInstanceOf(IntegrityException.class)
            .hasMessageContaining("IncorrectKeyException");
        // the source context and key are checked as Decrypt checks them
        assertThatThrownBy(() -> client.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(dk.wrapped()))
            .sourceEncryptionContext(moved.asMap()).destinationKeyId(destination)))
            .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> client.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(dk.wrapped()))
            .sourceKeyId(destination).sourceEncryptionContext(CONTEXT.asMap()).destinationKeyId(destination)))
            .isInstanceOf(IncorrectKeyException.class);
        KmsWireEndpoint.Request sent = local.requests().stream()
            .filter(q -> q.target().equals("TrentService.ReEncrypt")).findFirst().orElseThrow();
        assertThat(sent.body().path("SourceEncryptionContext").path("rowseal:version").asText()).isEqualTo("1");
        assertThat(sent.body().path("DestinationEncryptionContext").path("rowseal:version").asText()).isEqualTo("7");
        assertThat(sent.header("authorization")).startsWith("AWS4-HMAC-SHA256 ");
      }
    }
  }

  @Test
  void envelope_overLocalKms_roundTripsRows_andDescribeReportsLocalKmsState() throws Exception {
    try (HikariDataSource db = TestDatabase.H2.dataSource();
        KmsWireEndpoint local = KmsWireEndpoint.overLocalKms(db, null, 0)) {
      String cmk = local.createKey();
      try (AwsKmsCmkProvider overLocal = new AwsKmsCmkProvider(local.client(1), true, Set.of(cmk));
          Envelope envelope = Envelope.builder().cmkProvider(overLocal).branchKeyStore(new InMemoryBranchKeyStore())
              .cmkId(cmk).build()) {
        byte[] stored = envelope.encrypt(bytes("123-45-6789"), "Customer.ssn");
        assertThat(envelope.decrypt(stored, "Customer.ssn")).isEqualTo(bytes("123-45-6789"));
        assertThat(overLocal.describe(cmk).state()).isEqualTo(KeyState.ENABLED);
        ((io.rowseal.kms.local.LocalKms) local.backend).disableKey(cmk.substring(KmsWireEndpoint.ACCOUNT_ARN.length()));
        assertThat(overLocal.describe(cmk).state()).isEqualTo(KeyState.DISABLED);
      }
      assertThat(local.requests("GenerateDataKey")).isEqualTo(1);
    }
  }

  @Test
  void tenThousandRowWrites_atMostTwoKmsRequests() throws Exception {
    try (Envelope envelope = Envelope.builder().cmkProvider(provider).branchKeyStore(new InMemoryBranchKeyStore())
        .cmkId(key).build()) {
      kms.clearRequests();
      for (int i = 0; i < 10_000; i++) {
        envelope.encrypt(bytes("row " + i), "Customer.ssn");
      }
    }
    assertThat(kms.requests()).hasSizeBetween(1, 2);
  }

  @Test
  void fromSettings_endpointAndRegion_reachTheEndpoint_andMisconfigurationIsRs2023() throws Exception {
    Map<String, Object> settings = Map.of(AwsKmsCmkProvider.CMK_ID, key,
        AwsKmsCmkProvider.REGION, "us-east-1", AwsKmsCmkProvider.ENDPOINT, kms.uri().toString());
    String id = System.setProperty("aws.accessKeyId", "AKIDSETTINGS");
    String secret = System.setProperty("aws.secretAccessKey", "secret");
    try (AwsKmsCmkProvider configured = (AwsKmsCmkProvider) AwsKms.fromSettings(settings,
        AwsKms.class.getClassLoader())) {
      assertThat(configured.describe(key).state()).isEqualTo(KeyState.ENABLED);
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
    assertThat(kms.requests().get(0).header("authorization")).contains("Credential=AKIDSETTINGS/");
    assertThatThrownBy(() -> AwsKmsCmkProvider.fromSettings(Map.of(AwsKmsCmkProvider.REGION, "us-east-1")))
        .hasMessageStartingWith("RS-2023").hasMessageContaining("rowseal.cmk-id");
    assertThatThrownBy(() -> AwsKmsCmkProvider.fromSettings(Map.of(AwsKmsCmkProvider.CMK_ID, key,
        "rowseal.kms.aws.regoin", "us-east-1")))
        .hasMessageStartingWith("RS-2023").hasMessageContaining("rowseal.kms.aws.regoin");
  }

  @Test
  void awsKms_withoutTheSdkOnTheClassPath_rs2020NamingTheDependency() throws Exception {
    try (java.net.URLClassLoader noSdk = new java.net.URLClassLoader(new java.net.URL[0],
        ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> AwsKms.fromSettings(Map.of(AwsKmsCmkProvider.CMK_ID, key), noSdk))
          .isInstanceOf(KmsException.class).hasMessageStartingWith("RS-2020")
          .hasMessageContaining("software.amazon.awssdk:kms");
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
