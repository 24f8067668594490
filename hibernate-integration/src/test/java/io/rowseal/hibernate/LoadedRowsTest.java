package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.EnvelopeMetrics;
import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

/**
 * What loads read is kept only until the entity is verified, row by row; projections leave a bounded
 * window.
 */
class LoadedRowsTest {

  @Test
  void query_moreRowsThanTheDekCacheHolds_verifiesEachRowWithItsOneUnwrap() {
    try (Jpa jpa = Jpa.prepare(TestDatabase.H2)) {
      try (Envelope small = Envelope.builder().cmkProvider(jpa.kms).branchKeyStore(jpa.keyStore)
          .dekCacheMaxSize(16).build()) {
        jpa.boot(Map.of(RowsealSettings.ENVELOPE, small), Patient.class);
        jpa.inTransaction(s -> LongStream.rangeClosed(1, 200).forEach(i -> s.persist(new Patient(i))));
        EnvelopeMetrics m = small.metrics();
        long misses = m.dekMisses();

        List<Patient> all = jpa.fromTransaction(s ->
            s.createSelectionQuery("from Patient", Patient.class).getResultList());

        assertThat(all).hasSize(200);
        assertThat(m.dekMisses() - misses).as("each row verified before its DEK left the cache").isEqualTo(200);
      }
    }
  }

  @Test
  void entityLoads_leaveNothingBehind_projectionsAtMostTheWindow() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 1000).forEach(i -> s.persist(new Patient(i))));
      LoadedRows loaded = RowSignatures.of(jpa.sessionFactory.unwrap(SessionFactoryImplementor.class)).loaded();

      int[] sizes = jpa.fromTransaction(s -> {
        List<Patient> all = s.createSelectionQuery("from Patient", Patient.class).getResultList();
        int afterEntities = loaded.size(s);
        List<String> ssns = s.createSelectionQuery("select p.ssn from Patient p", String.class).getResultList();
        return new int[] {all.size(), afterEntities, ssns.size(), loaded.size(s)};
      });

      assertThat(sizes[0]).isEqualTo(1000);
      assertThat(sizes[1]).as("entity loads claim what they read").isZero();
      assertThat(sizes[2]).isEqualTo(1000);
      assertThat(sizes[3]).as("projected values wait in a bounded window").isEqualTo(LoadedRows.PENDING_ROWS);
    }
  }

  @Test
  void refresh_ofATamperedRow_fails() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        Patient p = s.find(Patient.class, 1L);
        jpa.rawUpdate("update " + jpa.table("patient") + " set ward = 'elsewhere' where id = 1");
        s.refresh(p);
      }));

      assertThat(TamperTest.cause(thrown).code()).isEqualTo("RS-4204");
    }
  }
}
