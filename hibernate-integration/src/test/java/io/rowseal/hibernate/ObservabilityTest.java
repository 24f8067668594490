package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.audit.Audit;
import io.rowseal.audit.AuditEvent;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.testing.Stderr;
import io.rowseal.testing.TestDatabase;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A tamper shows up as a counter an alert can watch and as an audit event, naming entity, attribute and
 * row, never the value; the counters count real work.
 */
class ObservabilityTest {

  @Test
  void tamperedValue_eachFailedRead_countsOneIntegrityFailureOfThatAttributeAndIsAudited() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class); Audit.Registration r = Audit.register(events::add)) {
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(41));
        s.persist(Samples.typical(42));
      });
      RowsealMetrics metrics = RowsealMetrics.of(jpa.sessionFactory);
      String table = jpa.table("sample");
      byte[] stored = (byte[]) jpa.raw("select email from " + table + " where id = 42").get(0).get("email");
      stored[stored.length - 20] ^= 0x01;
      jpa.rawUpdate("update " + table + " set email = ? where id = 42", stored);

      String log = Stderr.of(() -> {
        for (int read = 1; read <= 2; read++) {
          Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.find(Sample.class, 42L)));
          assertThat(Causes.find(thrown, EncryptedReadException.class).code()).isEqualTo("RS-4201");
        }
        jpa.inTransaction(s -> s.find(Sample.class, 41L));
      });

      assertThat(metrics.integrityFailures("Sample", "email")).isEqualTo(2);
      assertThat(metrics.integrityFailures("Sample", "bytes")).isZero();
      assertThat(metrics.rowSignatureFailures("Sample")).isZero();
      assertThat(counter(metrics, RowsealMetrics.INTEGRITY_FAILURES, Map.of("entity", "Sample", "attribute", "email")))
          .isEqualTo(2);
      List<AuditEvent> failures = events.stream().filter(e -> e.type().equals(Audit.INTEGRITY_FAILURE)).toList();
      assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e.attributes()).containsExactly(
          Map.entry("code", "RS-4201"), Map.entry("entity", "Sample"), Map.entry("attribute", "email"),
          Map.entry("rowId", "42")));
      // slf4j-simple prints the key-value pairs, then the message (the same pairs, logfmt)
      assertThat(log).contains("WARN rowseal.audit - event=integrity-failure code=RS-4201 entity=Sample "
          + "attribute=email rowId=42 rowseal event=integrity-failure code=RS-4201 entity=Sample attribute=email "
          + "rowId=42").doesNotContain("alice.42@example.com", "alice.41@example.com");
    }
  }

  @Test
  void valueMovedInFromAnotherRow_countsOneRowSignatureFailureOfTheEntity() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class); Audit.Registration r = Audit.register(events::add)) {
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(41));
        s.persist(Samples.typical(42));
      });
      String table = jpa.table("sample");
      byte[] other = (byte[]) jpa.raw("select email from " + table + " where id = 41").get(0).get("email");
      jpa.rawUpdate("update " + table + " set email = ? where id = 42", other);

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.find(Sample.class, 42L)));

      assertThat(Causes.find(thrown, EncryptedReadException.class).code()).isEqualTo("RS-4204");
      RowsealMetrics metrics = RowsealMetrics.of(jpa.sessionFactory);
      assertThat(metrics.rowSignatureFailures("Sample")).isEqualTo(1);
      assertThat(counter(metrics, RowsealMetrics.ROW_SIGNATURE_FAILURES, Map.of("entity", "Sample"))).isEqualTo(1);
      assertThat(metrics.integrityFailures("Sample", "email")).isZero();
      assertThat(events).filteredOn(e -> e.type().equals(Audit.INTEGRITY_FAILURE)).singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsExactly(Map.entry("code", "RS-4204"),
              Map.entry("entity", "Sample"), Map.entry("rowId", "42")));
    }
  }

  @Test
  void counters_namedAndTaggedOnceEach_countRowsValuesAndKmsRequests() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      RowsealMetrics metrics = RowsealMetrics.of(jpa.sessionFactory);
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(1));
        s.persist(Samples.typical(2));
      });
      jpa.envelope.close(); // a cold cache: the read unwraps the branch key
      jpa.inTransaction(s -> s.find(Sample.class, 1L));

      Set<String> seen = new HashSet<>();
      for (RowsealMetrics.Counter c : metrics.counters()) {
        assertThat(seen.add(c.name() + c.tags())).as("unique: " + c).isTrue();
      }
      assertThat(counter(metrics, RowsealMetrics.ROWS_ENCRYPTED, Map.of())).isEqualTo(2);
      assertThat(counter(metrics, RowsealMetrics.VALUES_DECRYPTED, Map.of())).isPositive();
      assertThat(counter(metrics, RowsealMetrics.KMS_REQUESTS, Map.of("operation", "generateDataKey")))
          .isEqualTo(jpa.kms.calls(InMemoryCmkProvider.Operation.GENERATE_DATA_KEY)).isEqualTo(1);
      assertThat(counter(metrics, RowsealMetrics.KMS_REQUESTS, Map.of("operation", "unwrap")))
          .isEqualTo(jpa.kms.calls(InMemoryCmkProvider.Operation.UNWRAP)).isEqualTo(1);
      assertThat(metrics.envelope().kmsErrors(KmsOperation.UNWRAP)).isZero();
      assertThat(counter(metrics, RowsealMetrics.CACHE_MISSES, Map.of("cache", "branch-key"))).isPositive();
      assertThat(counter(metrics, RowsealMetrics.INTEGRITY_FAILURES, Map.of("entity", "Sample", "attribute", "chars")))
          .isZero();
      assertThat(counter(metrics, RowsealMetrics.TRANSITION_READS, Map.of("entity", "Sample"))).isZero();
    }
  }

  private static long counter(RowsealMetrics metrics, String name, Map<String, String> tags) {
    return metrics.counters().stream().filter(c -> c.name().equals(name) && c.tags().equals(tags))
        .reduce((a, b) -> {
          throw new AssertionError("two counters " + name + tags);
        })
        .orElseThrow(() -> new AssertionError("no counter " + name + tags + " in " + metrics.counters()))
        .value();
  }
}
