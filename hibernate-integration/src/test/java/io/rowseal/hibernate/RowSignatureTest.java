package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.DekId;
import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import io.rowseal.Encrypted;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The row footer binds a row's values to the row: values moved between rows, an old value replayed, an
 * edited {@code @Signed} column or a footer copied from another row all fail the entity load, naming
 * entity and id. Tampering goes through raw JDBC, as a DBA would.
 */
class RowSignatureTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persist_everyRowGetsAFooterThatSharesItsValuesDataKey(TestDatabase db) throws Exception {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));

      List<Map<String, Object>> rows = jpa.raw("select * from " + jpa.table("patient") + " order by id");

      for (Map<String, Object> row : rows) {
        byte[] footer = (byte[]) row.get("rowseal_sig");
        assertThat(footer).hasSize(Envelope.footerLength("default"));
        assertThat(DekId.ofFooter(footer)).isEqualTo(DekId.ofValue((byte[]) row.get("ssn")))
            .isEqualTo(DekId.ofValue((byte[]) row.get("diagnosis")));
      }
      assertThat(DekId.ofFooter((byte[]) rows.get(0).get("rowseal_sig")))
          .isNotEqualTo(DekId.ofFooter((byte[]) rows.get(1).get("rowseal_sig")));
      assertThat(rows.get(0).get("ward")).isEqualTo("ward-1");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_encryptedValuesSwappedBetweenRows_bothRowsFailNamingEntityAndId(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 3).forEach(i -> s.persist(new Patient(i))));
      byte[] one = stored(jpa, "ssn", 1);
      byte[] two = stored(jpa, "ssn", 2);
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 1", two);
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 2", one);

      EncryptedReadException first = failure(jpa, 1);
      EncryptedReadException second = failure(jpa, 2);
      Throwable query = catchThrowable(() -> jpa.fromTransaction(s ->
          s.createSelectionQuery("from Patient order by id", Patient.class).getResultList()));

      assertThat(first.code()).isEqualTo("RS-4204");
      assertThat(first.entity()).isEqualTo("Patient");
      assertThat(first.rowId()).isEqualTo("1");
      assertThat(first).hasMessageContaining("Patient id 1").hasCauseInstanceOf(IntegrityException.class)
          .hasMessageNotContaining("078-05").hasMessageNotContaining("ward-");
      assertThat(second.rowId()).isEqualTo("2");
      assertThat(TamperTest.cause(query).code()).isEqualTo("RS-4204");
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 3L)).ssn).isEqualTo("078-05-1003");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_oldValueReplayedUnderTheCurrentFooter_fails(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(1)));
      byte[] old = stored(jpa, "diagnosis", 1);
      jpa.inTransaction(s -> s.find(Patient.class, 1L).diagnosis = "revised diagnosis");

      jpa.rawUpdate("update " + jpa.table("patient") + " set diagnosis = ? where id = 1", old);

      assertThat(failure(jpa, 1).code()).isEqualTo("RS-4204");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_signedPlaintextColumnEdited_fails(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));

      jpa.rawUpdate("update " + jpa.table("patient") + " set ward = 'intensive care' where id = 1");

      assertThat(failure(jpa, 1)).hasMessageContaining("Patient id 1").hasMessageNotContaining("intensive");
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 2L)).ward).isEqualTo("ward-2");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_footerCopiedFromAnotherRow_fails(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));

      jpa.rawUpdate("update " + jpa.table("patient") + " set rowseal_sig = ? where id = 1",
          stored(jpa, "rowseal_sig", 2));

      assertThat(failure(jpa, 1).rowId()).isEqualTo("1");
      Throwable both = catchThrowable(() -> jpa.fromTransaction(s ->
          s.createSelectionQuery("from Patient order by id", Patient.class).getResultList()));
      assertThat(TamperTest.cause(both).code()).isEqualTo("RS-4204");
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 2L)).ssn).isEqualTo("078-05-1002");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_completeSignedRowCopiedToAnotherId_failsWithRs4204(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));

      // Every column, the footer included: only the id differs from row 1.
      jpa.rawUpdate("update " + jpa.table("patient") + " set name = 'patient-1', ssn = ?, diagnosis = ?,"
          + " ward = 'ward-1', rowseal_sig = ? where id = 2", stored(jpa, "ssn", 1), stored(jpa, "diagnosis", 1),
          stored(jpa, "rowseal_sig", 1));
      for (String column : List.of("ssn", "diagnosis", "rowseal_sig")) {
        assertThat(stored(jpa, column, 2)).as(column).isEqualTo(stored(jpa, column, 1));
      }

      EncryptedReadException copy = failure(jpa, 2);
      assertThat(copy.code()).isEqualTo("RS-4204");
      assertThat(copy.rowId()).isEqualTo("2");
      assertThat(copy).hasMessageNotContaining("078-05");
      Throwable query = catchThrowable(() -> jpa.fromTransaction(s ->
          s.createSelectionQuery("from Patient where id = 2", Patient.class).getResultList()));
      assertThat(TamperTest.cause(query).code()).isEqualTo("RS-4204");
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 1L)).ssn).isEqualTo("078-05-1001");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void loadAndCommit_signedRows_noUpdateUntilOneChangesThenExactlyOne(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 100).forEach(i -> s.persist(new Patient(i))));
      jpa.sql.clear();

      jpa.inTransaction(s -> s.createSelectionQuery("from Patient", Patient.class).getResultList());
      long clean = jpa.sql.count("update");
      jpa.inTransaction(s -> s.find(Patient.class, 42L).ward = "ward-moved");

      assertThat(clean).isZero();
      assertThat(jpa.sql.count("update")).isEqualTo(1);
      Patient moved = jpa.fromTransaction(s -> s.find(Patient.class, 42L));
      assertThat(moved.ward).isEqualTo("ward-moved");
      assertThat(moved.ssn).isEqualTo("078-05-1042");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void scalarProjection_ofAValueMovedFromAnotherRow_decryptsWithoutTheFooterCheck(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 1", stored(jpa, "ssn", 2));

      String ssn = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select p.ssn from Patient p where p.id = 1", String.class).getSingleResult());

      // Documented limit: a single value carries no row, so a projection cannot check the footer.
      assertThat(ssn).isEqualTo("078-05-1002");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void identityId_footerWrittenBySecondStatement_roundTripsAndCatchesTampering(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, IdentityPatient.class)) {
      jpa.sql.clear();

      List<Long> ids = jpa.fromTransaction(s -> {
        IdentityPatient a = new IdentityPatient("111-11-1111", "north");
        IdentityPatient b = new IdentityPatient("222-22-2222", "south");
        s.persist(a);
        s.persist(b);
        return List.of(a.id, b.id);
      });

      assertThat(jpa.sql.count("insert")).isEqualTo(2);
      assertThat(jpa.sql.count("update")).as("one footer UPDATE per inserted row").isEqualTo(2);
      String table = jpa.table("identity_patient");
      assertThat(jpa.raw("select rowseal_sig from " + table)).allSatisfy(r ->
          assertThat((byte[]) r.get("rowseal_sig")).hasSize(Envelope.footerLength("default")));
      IdentityPatient read = jpa.fromTransaction(s -> s.find(IdentityPatient.class, ids.get(1)));
      assertThat(read.ssn).isEqualTo("222-22-2222");
      assertThat(read.ward).isEqualTo("south");

      byte[] first = (byte[]) jpa.raw("select ssn from " + table + " where id = " + ids.get(0)).get(0).get("ssn");
      jpa.rawUpdate("update " + table + " set ssn = ? where id = ?", first, ids.get(1));
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(IdentityPatient.class, ids.get(1))));
      EncryptedReadException e = TamperTest.cause(thrown);
      assertThat(e.entity()).isEqualTo("IdentityPatient");
      assertThat(e.rowId()).isEqualTo(String.valueOf(ids.get(1)));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void bulkUpdate_ofAnEncryptedAttributeOfASignedRow_isRefusedAndChangesNothing(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(1)));

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.createMutationQuery(
          "update Patient p set p.ssn = :ssn where p.id = 1").setParameter("ssn", "999-99-9999").executeUpdate()));

      assertThat(QueryRestrictionTest.chain(thrown)).anySatisfy(t -> assertThat(t)
          .isInstanceOf(EncryptedQueryException.class).hasMessageStartingWith("RS-4402: Patient.ssn"));
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 1L)).ssn).isEqualTo("078-05-1001");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void query_twoRowsInOneResultRowWithSwappedValues_fails(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));
      byte[] one = stored(jpa, "ssn", 1);
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 1", stored(jpa, "ssn", 2));
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 2", one);

      // Both rows' values sit in one JDBC row: each row write's genuine values are all there.
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "select a, b from Patient a, Patient b where a.id = 1 and b.id = 2", Object[].class).getResultList()));

      assertThat(TamperTest.cause(thrown).code()).isEqualTo("RS-4204");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_afterAProjectionReadTheRowsGenuineValueElsewhere_failsWhenTheEntityHoldsAnotherRowsValue(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));
      byte[] one = stored(jpa, "ssn", 1);
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 1", stored(jpa, "ssn", 2));
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 2", one);

      // The projection reads row 1's genuine ssn (now in row 2), so when row 1 loads, the values its
      // footer's row write carries are all there and verify; only the entity holds row 2's ssn.
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> {
        String projected = s.createSelectionQuery("select p.ssn from Patient p where p.id = 2", String.class)
            .getSingleResult();
        assertThat(projected).as("a projection is not row-verified").isEqualTo("078-05-1001");
        return s.find(Patient.class, 1L).ssn;
      }));

      assertThat(thrown).as("row 1 loaded with row 2's ssn").isNotNull();
      assertThat(TamperTest.cause(thrown).code()).isEqualTo("RS-4204");
      assertThat(TamperTest.cause(thrown).rowId()).isEqualTo("1");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void statelessGet_hibernateFiresNoLoadEvents_rowIsNotVerifiedButEachValueStillIs(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));
      jpa.rawUpdate("update " + jpa.table("patient") + " set ssn = ? where id = 1", stored(jpa, "ssn", 2));
      byte[] flipped = stored(jpa, "diagnosis", 2);
      flipped[flipped.length - 1] ^= 1;
      jpa.rawUpdate("update " + jpa.table("patient") + " set diagnosis = ? where id = 2", flipped);

      Patient moved = jpa.sessionFactory.fromStatelessTransaction(s -> s.get(Patient.class, 1L));
      Throwable altered = catchThrowable(() -> jpa.sessionFactory.fromStatelessTransaction(s ->
          s.get(Patient.class, 2L)));

      // Documented limit (docs/HIBERNATE.md, section 13): a StatelessSession load is not row-verified.
      assertThat(moved.ssn).isEqualTo("078-05-1002");
      assertThat(TamperTest.cause(altered).code()).isEqualTo("RS-4201");
    }
  }

  @Embeddable
  public static class VisitKey {
    Long patient;
    String clinic;
  }

  @Entity(name = "Visit")
  @Table(name = "visit")
  public static class Visit {
    @EmbeddedId VisitKey key;
    @Encrypted String notes;
  }

  @Test
  void compositeId_signedAndVerified() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Visit.class)) {
      jpa.inTransaction(s -> {
        for (String clinic : List.of("north", "south")) {
          Visit v = new Visit();
          v.key = new VisitKey();
          v.key.patient = 1L;
          v.key.clinic = clinic;
          v.notes = "notes " + clinic;
          s.persist(v);
        }
      });
      VisitKey north = new VisitKey();
      north.patient = 1L;
      north.clinic = "north";
      assertThat(jpa.fromTransaction(s -> s.find(Visit.class, north)).notes).isEqualTo("notes north");

      String table = jpa.table("visit");
      Object south = jpa.raw("select notes from " + table + " where clinic = 'south'").get(0).get("notes");
      jpa.rawUpdate("update " + table + " set notes = ? where clinic = 'north'", south);

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(Visit.class, north)));
      assertThat(TamperTest.cause(thrown).code()).isEqualTo("RS-4204");
    }
  }

  static byte[] stored(Jpa jpa, String column, long id) {
    return (byte[]) jpa.raw("select " + column + " from " + jpa.table("patient") + " where id = " + id)
        .get(0).get(column);
  }

  static EncryptedReadException failure(Jpa jpa, long id) {
    Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(Patient.class, id)));
    return TamperTest.cause(thrown);
  }
}
