package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.envelope.EnvelopeMetrics;
import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encryption changes neither what Hibernate writes nor how it batches, and costs one DEK per row. */
class StatementCountTest {
  /** Non-null encrypted values of a {@link Samples#typical} row. */
  static final int VALUES_PER_ROW = 24;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persist_hundredRows_batchedWithOneDekPerRow(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.jdbc.reset();

      jpa.inTransaction(s -> LongStream.rangeClosed(1, 100).forEach(i -> s.persist(Samples.typical(i))));

      assertThat(jpa.jdbc.batches.get()).isEqualTo(5);
      assertThat(jpa.jdbc.batchedRows.get()).isEqualTo(100);
      assertThat(jpa.jdbc.singleUpdates.get()).isZero();
      EnvelopeMetrics m = jpa.envelope.metrics();
      assertThat(m.rowsEncrypted()).isEqualTo(100);
      assertThat(m.valuesEncrypted()).isEqualTo(100L * VALUES_PER_ROW);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void loadAndCommit_nothingChangedThenOneValueChanged_noUpdateThenExactlyOne(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 100).forEach(i -> s.persist(Samples.typical(i))));
      EnvelopeMetrics m = jpa.envelope.metrics();
      long misses = m.dekMisses();
      long decrypted = m.valuesDecrypted();
      jpa.sql.clear();

      List<Sample> loaded = jpa.fromTransaction(s ->
          s.createSelectionQuery("from Sample order by id", Sample.class).getResultList());

      assertThat(loaded).hasSize(100);
      assertThat(jpa.sql.count("update")).isZero();
      assertThat(m.dekMisses() - misses).as("at most one unwrap per row").isEqualTo(100);
      assertThat(m.valuesDecrypted() - decrypted).isEqualTo(100L * VALUES_PER_ROW);

      long rows = m.rowsEncrypted();
      jpa.sql.clear();
      jpa.inTransaction(s -> {
        List<Sample> all = s.createSelectionQuery("from Sample order by id", Sample.class).getResultList();
        all.get(41).email = "changed@example.com";
        all.get(41).bytes[0] ^= 1;
      });

      assertThat(jpa.sql.count("update")).isEqualTo(1);
      assertThat(m.rowsEncrypted() - rows).isEqualTo(1);
      String email = jpa.fromTransaction(s -> s.find(Sample.class, 42L).email);
      assertThat(email).isEqualTo("changed@example.com");
    }
  }
}
