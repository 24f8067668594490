package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.EnvelopeBuilder;
import io.rowseal.hibernate.RowsealHealth.Report;
import io.rowseal.hibernate.RowsealHealth.Status;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.ForwardingCmkProvider;
import io.rowseal.testing.ManualClock;
import io.rowseal.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The health check tells an operator what the application can do: UP while the KMS answers, DEGRADED while
 * a KMS outage is bridged by the cached branch key (reads and writes still work), DOWN once that cache
 * expires or the CMK is disabled, UP again when the KMS answers; and polling it costs the KMS at most one
 * request per probe interval. Time passes on a manual clock, never by sleeping.
 */
class RowsealHealthTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();

  @Test
  void check_kmsOutage_degradedWhileBranchKeyCachedThenDownAfterTtlThenUpWhenKmsAnswers() {
    try (Envelope envelope = envelope(kms, b -> b); Jpa jpa = start(envelope)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(1)));
      RowsealHealth health = RowsealHealth.of(jpa.sessionFactory);

      Report up = health.check();
      assertThat(up.status()).isEqualTo(Status.UP);
      assertThat(up.details()).containsEntry("backend", "in-memory").containsEntry("cmkState", "ENABLED")
          .containsEntry("branchKeyId", "default").containsEntry("branchKeyVersion", 1)
          .containsEntry("branchKeyCachedUntil", START.plus(TTL).toString())
          .containsEntry("kmsProbeInterval", "PT30S").containsKey("cmkId").doesNotContainKey("error");

      kms.failWith(new KmsException.Unavailable("connection refused (test)", null));
      clock.advance(INTERVAL);
      Report degraded = health.check();
      assertThat(degraded.status()).isEqualTo(Status.DEGRADED);
      assertThat(degraded.details()).containsEntry("error", "RS-2004")
          .containsEntry("branchKeyCachedUntil", START.plus(TTL).toString())
          .doesNotContainKey("cmkState");
      assertThat((String) degraded.details().get("lastKmsError")).startsWith("RS-2004 describe at ");
      // the cached branch key keeps the application working through the outage
      jpa.inTransaction(s -> s.persist(Samples.typical(2)));
      assertThat(jpa.<String>fromTransaction(s -> s.find(Sample.class, 1L).email)).isEqualTo(Samples.typical(1).email);
      assertThat(jpa.<String>fromTransaction(s -> s.find(Sample.class, 2L).email)).isEqualTo(Samples.typical(2).email);

      clock.advance(TTL);
      Report down = health.check();
      assertThat(down.status()).isEqualTo(Status.DOWN);
      assertThat(down.details()).containsEntry("error", "RS-2004").doesNotContainKey("branchKeyCachedUntil");
      // as reported: writes fail now
      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.persist(Samples.typical(3))));
      assertThat(thrown).hasStackTraceContaining("RS-2004");

      kms.failWith(null);
      clock.advance(INTERVAL);
      assertThat(health.check().status()).isEqualTo(Status.UP);
      jpa.inTransaction(s -> s.persist(Samples.typical(3)));
      assertThat(health.check().details()).containsEntry("branchKeyCachedUntil",
          START.plus(INTERVAL).plus(TTL).plus(INTERVAL).plus(TTL).toString());
    }
  }

  @Test
  void check_polledOften_sendsTheKmsOneRequestPerInterval() {
    try (Envelope envelope = envelope(kms, b -> b); Jpa jpa = start(envelope)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(1)));
      RowsealHealth health = RowsealHealth.of(jpa.sessionFactory);
      long before = kms.totalCalls();

      for (int poll = 0; poll < 10; poll++) {
        assertThat(health.check().status()).isEqualTo(Status.UP);
        assertThat(RowsealHealth.of(jpa.sessionFactory).check().status()).isEqualTo(Status.UP);
      }
      clock.advance(INTERVAL.minusNanos(1));
      health.check();
      assertThat(kms.calls(InMemoryCmkProvider.Operation.DESCRIBE)).isEqualTo(1);

      clock.advance(Duration.ofNanos(1));
      health.check();
      health.check();
      assertThat(kms.calls(InMemoryCmkProvider.Operation.DESCRIBE)).isEqualTo(2);
      assertThat(kms.totalCalls() - before).isEqualTo(2);
      assertThat(RowsealMetrics.of(jpa.sessionFactory).envelope()
          .kmsRequests(io.rowseal.envelope.EnvelopeMetrics.KmsOperation.DESCRIBE)).isEqualTo(2);
    }
  }

  @Test
  void check_cmkDisabled_downThoughBranchKeyIsCached() {
    try (Envelope envelope = envelope(kms, b -> b); Jpa jpa = start(envelope)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(1)));
      RowsealHealth health = RowsealHealth.of(jpa.sessionFactory);
      String cmkId = (String) health.check().details().get("cmkId");

      kms.setEnabled(cmkId, false);
      clock.advance(INTERVAL);
      Report down = health.check();

      assertThat(down.status()).isEqualTo(Status.DOWN);
      assertThat(down.details()).containsEntry("cmkState", "DISABLED")
          .containsEntry("branchKeyCachedUntil", START.plus(TTL).toString());
      assertThat((String) down.details().get("reason")).contains(cmkId, "DISABLED");
    }
  }

  @Test
  void check_kmsHangs_probeTimesOutAsUnreachableAndIsNotResentWhileItHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HangingDescribe hanging = new HangingDescribe(kms, release);
    try (Envelope envelope = envelope(hanging, b -> b.healthProbeTimeout(Duration.ofMillis(50)));
        Jpa jpa = start(envelope)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(1)));
      RowsealHealth health = RowsealHealth.of(jpa.sessionFactory);

      Report first = health.check();
      clock.advance(INTERVAL);
      Report second = health.check();

      assertThat(first.status()).isEqualTo(Status.DEGRADED);
      assertThat(first.details()).containsEntry("error", "RS-2004");
      assertThat(second.status()).isEqualTo(Status.DEGRADED);
      assertThat(hanging.describes.get()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void check_nothingWrittenYet_upWithoutProbingOrCreatingKeys() {
    try (Envelope envelope = envelope(kms, b -> b); Jpa jpa = start(envelope)) {
      Report report = RowsealHealth.of(jpa.sessionFactory).check();

      assertThat(report.status()).isEqualTo(Status.UP);
      assertThat(report.details()).containsEntry("backend", "in-memory")
          .doesNotContainKeys("cmkId", "branchKeyId", "branchKeyCachedUntil", "kmsProbedAt");
      assertThat(kms.totalCalls()).isZero();
    }
  }

  @Test
  void check_keyStoreUnreadableBeforeFirstWrite_down() {
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    io.rowseal.keystore.BranchKeyStore unreadable = new io.rowseal.keystore.BranchKeyStore() {
      @Override
      public java.util.Optional<io.rowseal.keystore.BranchKeyRecord> findActive(String keyId) {
        throw new IllegalStateException("connection refused (test)");
      }

      @Override
      public java.util.Optional<io.rowseal.keystore.BranchKeyRecord> find(io.rowseal.keystore.BranchKeyRef ref) {
        return store.find(ref);
      }

      @Override
      public java.util.List<io.rowseal.keystore.BranchKeyRecord> versions(String keyId) {
        return store.versions(keyId);
      }

      @Override
      public io.rowseal.keystore.BranchKeyRecord createIfAbsent(String keyId, String cmkId,
          java.util.function.Function<io.rowseal.keystore.BranchKeyRef, byte[]> wrapNewKey) {
        return store.createIfAbsent(keyId, cmkId, wrapNewKey);
      }

      @Override
      public io.rowseal.keystore.BranchKeyRecord rotate(String keyId, String cmkId,
          java.util.function.Function<io.rowseal.keystore.BranchKeyRef, byte[]> wrapNewKey) {
        return store.rotate(keyId, cmkId, wrapNewKey);
      }

      @Override
      public void destroy(io.rowseal.keystore.BranchKeyRef ref) {
        store.destroy(ref);
      }
    };
    try (Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(unreadable).clock(clock).build();
        Jpa jpa = start(envelope)) {
      Report report = RowsealHealth.of(jpa.sessionFactory).check();

      assertThat(report.status()).isEqualTo(Status.DOWN);
      assertThat((String) report.details().get("reason")).contains("branch-key store cannot be read",
          "IllegalStateException");
      assertThat(kms.totalCalls()).isZero();
    }
  }

  @Test
  void settings_probeIntervalAndTimeout_applyToAnEnvelopeRowsealBuilds() {
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put(RowsealSettings.ENVELOPE, null);
    settings.put(RowsealSettings.KMS, "in-memory");
    settings.put(RowsealSettings.HEALTH_PROBE_INTERVAL, "2m");
    settings.put(RowsealSettings.HEALTH_PROBE_TIMEOUT, "PT1S");
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Sample.class)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(1)));

      Report report = RowsealHealth.of(jpa.sessionFactory).check();

      assertThat(report.status()).isEqualTo(Status.UP);
      assertThat(report.details()).containsEntry("backend", "in-memory").containsEntry("kmsProbeInterval", "PT2M");
    }
    settings.put(RowsealSettings.HEALTH_PROBE_INTERVAL, "0s");
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, settings, Sample.class).close());
    assertThat(Causes.find(thrown, EncryptedMappingException.class).code()).isEqualTo("RS-4010");
    assertThat(thrown).hasStackTraceContaining(RowsealSettings.HEALTH_PROBE_INTERVAL);
  }

  @Test
  void of_factoryWithoutRowseal_refused() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Plain.class)) {
      assertThatThrownBy(() -> RowsealHealth.of(jpa.sessionFactory)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maps no @Encrypted attribute");
    }
  }

  private Envelope envelope(CmkProvider provider, UnaryOperator<EnvelopeBuilder> more) {
    return more.apply(Envelope.builder().cmkProvider(provider).branchKeyStore(new InMemoryBranchKeyStore())
        .branchKeyTtl(TTL).healthProbeInterval(INTERVAL).clock(clock)).build();
  }

  private static Jpa start(Envelope envelope) {
    return Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ENVELOPE, envelope), Sample.class);
  }

  /** An entity without an encrypted attribute. */
  @jakarta.persistence.Entity(name = "HealthPlain")
  static class Plain {
    @jakarta.persistence.Id
    Long id;
  }

  /** A KMS whose describe never answers until released; everything else passes through. */
  private static final class HangingDescribe extends ForwardingCmkProvider {
    private final CountDownLatch release;
    private final AtomicInteger describes = new AtomicInteger();

    HangingDescribe(CmkProvider delegate, CountDownLatch release) {
      super(delegate);
      this.release = release;
    }

    AtomicInteger describes() {
      return describes;
    }

    @Override
    public KeyMetadata describe(String cmkId) {
      describes.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.describe(cmkId);
    }
  }
}
