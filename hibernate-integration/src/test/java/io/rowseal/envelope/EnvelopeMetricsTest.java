package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.audit.Audit;
import io.rowseal.audit.AuditEvent;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.ForwardingCmkProvider;
import io.rowseal.testing.Stderr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The engine's counters count what really happened, and key lifecycle events reach the audit trail. */
class EnvelopeMetricsTest {
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();

  @Test
  void kmsCounters_countEveryRequestTheProviderServed() throws Exception {
    byte[] stored;
    try (Envelope writer = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build()) {
      stored = writer.encrypt(bytes("a@example.com"), "Customer.email");
      writer.encrypt(bytes("b@example.com"), "Customer.email");
      EnvelopeMetrics m = writer.metrics();
      assertThat(m.kmsRequests(KmsOperation.CREATE_KEY)).isEqualTo(kms.calls(InMemoryCmkProvider.Operation.CREATE_KEY))
          .isEqualTo(1);
      assertThat(m.kmsRequests(KmsOperation.GENERATE_DATA_KEY))
          .isEqualTo(kms.calls(InMemoryCmkProvider.Operation.GENERATE_DATA_KEY)).isEqualTo(1);
      assertThat(m.kmsRequests(KmsOperation.UNWRAP)).isZero();
      assertThat(m.kmsErrors(KmsOperation.GENERATE_DATA_KEY)).isZero();
      assertThat(m.rowsEncrypted()).isEqualTo(2);
    }
    try (Envelope reader = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build()) {
      reader.decrypt(stored, "Customer.email");
      reader.decrypt(stored, "Customer.email");
      EnvelopeMetrics m = reader.metrics();
      assertThat(m.kmsRequests(KmsOperation.UNWRAP)).as("one unwrap per branch key and cache lifetime")
          .isEqualTo(kms.calls(InMemoryCmkProvider.Operation.UNWRAP)).isEqualTo(1);
      assertThat(m.kmsNanos(KmsOperation.UNWRAP)).isPositive();
      assertThat(m.branchKeyMisses()).isEqualTo(1);
      assertThat(m.dekMisses()).isEqualTo(1);
      assertThat(m.dekHits()).isEqualTo(1);
      assertThat(m.valuesDecrypted()).isEqualTo(2);
    }
  }

  @Test
  void kmsCounters_countAThrottledAttemptAsARequestAndAnError() {
    CmkProvider throttledOnce = new ThrottledOnce(kms);
    try (Envelope envelope = Envelope.builder().cmkProvider(throttledOnce).branchKeyStore(store)
        .cmkId(kms.createKey("metrics").cmkId()).build()) {
      envelope.encrypt(bytes("x"), "Customer.email");

      EnvelopeMetrics m = envelope.metrics();
      assertThat(m.kmsRequests(KmsOperation.GENERATE_DATA_KEY)).isEqualTo(2);
      assertThat(m.kmsErrors(KmsOperation.GENERATE_DATA_KEY)).isEqualTo(1);
      assertThat(kms.calls(InMemoryCmkProvider.Operation.GENERATE_DATA_KEY)).isEqualTo(1);
    }
  }

  /** Throttles the first generate-data-key request, then passes everything through. */
  private static final class ThrottledOnce extends ForwardingCmkProvider {
    private boolean throttled;

    ThrottledOnce(CmkProvider delegate) {
      super(delegate);
    }

    @Override
    public synchronized DataKey generateDataKey(String cmkId, EncryptionContext context) {
      if (!throttled) {
        throttled = true;
        throw new KmsException.Throttled("quota exhausted (test)");
      }
      return delegate.generateDataKey(cmkId, context);
    }
  }

  @Test
  void rotationAndDestruction_areAuditedWithIdsOnly() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    String log;
    try (Audit.Registration r = Audit.register(events::add);
        Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(store).branchKeyId("tenant-7").build()) {
      log = Stderr.of(() -> {
        envelope.encrypt(bytes("x"), "Customer.email");
        envelope.blindIndexKeys().active(BlindIndexKeys.indexKeyId("tenant-7"));
        BranchKeyRef second = envelope.rotateBranchKey();
        assertThat(second.version()).isEqualTo(2);
        envelope.destroyBranchKey("tenant-7");
      });
    }
    String cmkId = store.versions("tenant-7").get(0).cmkId();
    assertThat(events).extracting(e -> e.type() + " " + e.attributes()).contains(
        "branch-key-created {keyId=tenant-7, version=1, cmkId=" + cmkId + "}",
        "branch-key-created {keyId=tenant-7:index, version=1, cmkId=" + cmkId + "}",
        "branch-key-rotated {keyId=tenant-7, version=2, cmkId=" + cmkId + "}",
        "branch-key-rotated {keyId=tenant-7, version=3, cmkId=" + cmkId + "}",
        "branch-key-destroyed {keyId=tenant-7, version=1}",
        "branch-key-destroyed {keyId=tenant-7, version=2}",
        "branch-key-destroyed {keyId=tenant-7:index, version=1}");
    assertThat(log).contains("rowseal.audit - ", "rowseal event=branch-key-rotated keyId=tenant-7 version=2 cmkId="
        + cmkId, "rowseal event=branch-key-destroyed keyId=tenant-7:index version=1");
    assertThat(events).allSatisfy(e -> assertThat(e.attributes().keySet()).isSubsetOf("keyId", "version", "cmkId"));

    // a closed registration hears nothing more (rotating a new key id creates its version 1)
    try (Envelope other = Envelope.builder().cmkProvider(kms).branchKeyStore(store).branchKeyId("after-close").build()) {
      other.rotateBranchKey();
    }
    assertThat(events).noneMatch(e -> "after-close".equals(e.get("keyId")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
