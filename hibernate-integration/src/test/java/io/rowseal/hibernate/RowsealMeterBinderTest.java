package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rowseal.IntegrityException;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.micrometer.RowsealMeterBinder;
import io.rowseal.testing.TestDatabase;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Micrometer sees what rowseal counts: a tamper as {@code rowseal.integrity.failures} of its entity and
 * attribute, KMS requests as timers per operation, cache hits and misses; each read from rowseal's own
 * counters, none counted twice, and counters first counted after binding are bound too.
 */
class RowsealMeterBinderTest {

  @Test
  void tamperedValue_readAfterBinding_countsOneIntegrityFailureOfThatAttributeInTheRegistry() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      MeterRegistry registry = new SimpleMeterRegistry();
      new RowsealMeterBinder(jpa.sessionFactory).bindTo(registry);
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(41));
        s.persist(Samples.typical(42));
      });
      assertThat(integrityFailures(registry, "email")).isZero();

      String table = jpa.table("sample");
      byte[] stored = (byte[]) jpa.raw("select email from " + table + " where id = 42").get(0).get("email");
      stored[stored.length - 20] ^= 0x01;
      jpa.rawUpdate("update " + table + " set email = ? where id = 42", stored);
      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.find(Sample.class, 42L)));

      assertThat(Causes.find(thrown, IntegrityException.class)).isNotNull();
      assertThat(Causes.find(thrown, EncryptedReadException.class).code()).isEqualTo("RS-4201");
      assertThat(integrityFailures(registry, "email")).isEqualTo(1);
      assertThat(integrityFailures(registry, "bytes")).isZero();
      assertThat(registry.get(RowsealMetrics.ROW_SIGNATURE_FAILURES).tags("entity", "Sample").functionCounter()
          .count()).isZero();
      assertThat(registry.get(RowsealMetrics.INTEGRITY_FAILURES).tags("entity", "Sample", "attribute", "email")
          .functionCounter().getId().getBaseUnit()).isEqualTo("values");
    }
  }

  @Test
  void kmsRequestsAndCaches_timersAndCountersReadRowsealsOwnCountersOnce() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      MeterRegistry registry = new SimpleMeterRegistry();
      new RowsealMeterBinder(jpa.sessionFactory).bindTo(registry);
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(1));
        s.persist(Samples.typical(2));
      });
      jpa.envelope.close(); // a cold cache: the read unwraps the branch key once
      jpa.inTransaction(s -> s.find(Sample.class, 1L));
      jpa.inTransaction(s -> s.find(Sample.class, 2L));

      FunctionTimer unwrap = registry.get(RowsealMetrics.KMS_REQUESTS).tags("operation", "unwrap").functionTimer();
      FunctionTimer generate = registry.get(RowsealMetrics.KMS_REQUESTS).tags("operation", "generateDataKey")
          .functionTimer();
      assertThat(unwrap.count()).isEqualTo(jpa.kms.calls(InMemoryCmkProvider.Operation.UNWRAP)).isEqualTo(1);
      assertThat(generate.count()).isEqualTo(jpa.kms.calls(InMemoryCmkProvider.Operation.GENERATE_DATA_KEY))
          .isEqualTo(1);
      // the registry keeps seconds as a double: the nanoseconds come back within one of rowseal's own
      assertThat(unwrap.totalTime(TimeUnit.NANOSECONDS)).isPositive()
          .isCloseTo((double) jpa.envelope.metrics().kmsNanos(KmsOperation.UNWRAP),
              org.assertj.core.data.Offset.offset(1.0));
      assertThat(registry.get(RowsealMetrics.KMS_ERRORS).tags("operation", "unwrap").functionCounter().count())
          .isZero();
      assertThat(registry.find(RowsealMetrics.KMS_TIME).meters()).as("time is in the timer, not counted twice")
          .isEmpty();

      RowsealMetrics metrics = RowsealMetrics.of(jpa.sessionFactory);
      assertThat(count(registry, RowsealMetrics.CACHE_MISSES, "cache", "branch-key"))
          .isEqualTo(metrics.envelope().branchKeyMisses()).isPositive();
      assertThat(count(registry, RowsealMetrics.CACHE_HITS, "cache", "branch-key"))
          .isEqualTo(metrics.envelope().branchKeyHits()).isPositive();
      assertThat(count(registry, RowsealMetrics.CACHE_MISSES, "cache", "dek"))
          .isEqualTo(metrics.envelope().dekMisses()).isPositive();
      assertThat(count(registry, RowsealMetrics.CACHE_HITS, "cache", "dek")).isEqualTo(metrics.envelope().dekHits());
      assertThat(count(registry, RowsealMetrics.ROWS_ENCRYPTED)).isEqualTo(2);
      assertThat(count(registry, RowsealMetrics.VALUES_DECRYPTED)).isEqualTo(metrics.envelope().valuesDecrypted())
          .isPositive();
      assertThat(count(registry, RowsealMetrics.TRANSITION_READS, "entity", "Sample")).isZero();

      Set<String> seen = new HashSet<>();
      for (Meter m : registry.getMeters()) {
        assertThat(m.getId().getName()).matches("rowseal(\\.[a-z]+)+");
        assertThat(seen.add(m.getId().getName() + m.getId().getTags())).as("once: " + m.getId()).isTrue();
      }
    }
  }

  @Test
  void counterFirstCountedAfterBinding_joinsEveryRegistryBoundBeforeAndAfter() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      MeterRegistry before = new SimpleMeterRegistry();
      RowsealMeterBinder binder = new RowsealMeterBinder(RowsealMetrics.of(jpa.sessionFactory),
          Tags.of("unit", "main"));
      binder.bindTo(before);
      assertThat(before.find(RowsealMetrics.ROW_SIGNATURE_FAILURES).tag("entity", "Ghost").meters()).isEmpty();

      // an entity the factory did not list at start fails its row signature: its counter is made now
      ReadFailures failures = StartedFactory.of(jpa.sessionFactory
          .unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class)).rowWrites().readFailures();
      failures.seen(new EncryptedReadException("RS-4204", "Ghost", "7", "test", null));
      MeterRegistry after = new SimpleMeterRegistry();
      binder.bindTo(after);
      failures.seen(new EncryptedReadException("RS-4204", "Ghost", "8", "test", null));

      for (MeterRegistry registry : new MeterRegistry[] {before, after}) {
        assertThat(registry.get(RowsealMetrics.ROW_SIGNATURE_FAILURES).tags("entity", "Ghost", "unit", "main")
            .functionCounter().count()).isEqualTo(2);
      }
      assertThat(RowsealMetrics.of(jpa.sessionFactory).counters())
          .filteredOn(c -> c.name().equals(RowsealMetrics.ROW_SIGNATURE_FAILURES)
              && c.tags().equals(java.util.Map.of("entity", "Ghost")))
          .singleElement().satisfies(c -> assertThat(c.value()).isEqualTo(2));
    }
  }

  private static double integrityFailures(MeterRegistry registry, String attribute) {
    return registry.get(RowsealMetrics.INTEGRITY_FAILURES).tags("entity", "Sample", "attribute", attribute)
        .functionCounter().count();
  }

  private static long count(MeterRegistry registry, String name, String... tags) {
    return (long) registry.get(name).tags(tags).functionCounter().count();
  }
}
