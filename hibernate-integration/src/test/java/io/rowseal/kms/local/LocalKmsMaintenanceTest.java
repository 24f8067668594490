package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The background maintenance thread: driven by the injected clock, daemon, stopped by close(). */
class LocalKmsMaintenanceTest {

  @Test
  void maintenanceThread_clockPastRotationPeriod_rotatesDomainKeyOnDaemonThread() throws InterruptedException {
    MutableClock clock = MutableClock.startingAt("2025-01-01T00:00:00Z");
    CountDownLatch resealed = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    try (HikariDataSource ds = TestDatabase.H2.dataSource()) {
      LocalKmsBuilder b = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), "rowseal_kms_", clock);
      b.maintenanceInterval = Duration.ofMillis(10);
      b.rotationHook = row -> {
        worker.set(Thread.currentThread());
        resealed.countDown();
      };
      LocalKms kms = b.build();
      try {
        String id = kms.createKey("k").cmkId();
        assertThat(kms.domainKeyGeneration()).isEqualTo(1);
        clock.advance(Duration.ofHours(24));
        assertThat(resealed.await(60, TimeUnit.SECONDS)).as("rotation ran on the maintenance thread").isTrue();
        assertThat(kms.domainKeyGeneration()).isEqualTo(2);
        assertThat(worker.get().isDaemon()).isTrue();
        assertThat(worker.get().getName()).isEqualTo("rowseal-localkms-maintenance");
        assertThat(kms.maintenanceRunning()).isTrue();
        kms.generateDataKey(id, EncryptionContext.empty());
      } finally {
        kms.close();
      }
      assertThat(kms.maintenanceRunning()).isFalse();
      assertThat(kms.toString()).endsWith("(closed)");
      assertThatThrownBy(() -> kms.createKey("after close"))
          .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("is closed");
    }
  }

  @Test
  void runMaintenance_beforeRotationPeriod_keepsDomainKey() {
    MutableClock clock = MutableClock.startingAt("2025-01-01T00:00:00Z");
    try (HikariDataSource ds = TestDatabase.H2.dataSource();
        LocalKms kms = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), "rowseal_kms_", clock).build()) {
      clock.advance(Duration.ofHours(23));
      kms.runMaintenance();
      assertThat(kms.domainKeyGeneration()).isEqualTo(1);
      clock.advance(Duration.ofHours(1));
      kms.runMaintenance();
      assertThat(kms.domainKeyGeneration()).isEqualTo(2);
    }
  }
}
