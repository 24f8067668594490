package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows without a footer — written before rowseal signed rows — and the settings that govern them:
 * {@code rowseal.row-signature.require}, the backfill, and turning signatures off.
 */
class UnsignedRowsTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_unsignedRowWhileRequired_failsSayingHowToBackfill_andTheBackfillSignsIt(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 3).forEach(i -> s.persist(new Patient(i))));
      jpa.rawUpdate("update " + jpa.table("patient") + " set rowseal_sig = null where id < 3");

      EncryptedReadException e = RowSignatureTest.failure(jpa, 1);
      long signed = RowSignatureBackfill.run(jpa.sessionFactory, Patient.class);

      assertThat(e.code()).isEqualTo("RS-4205");
      assertThat(e.rowId()).isEqualTo("1");
      assertThat(e).hasMessageContaining("cannot read Patient id 1: the row has no row signature")
          .hasMessageContaining("RowSignatureBackfill.run(sessionFactory, Patient.class)")
          .hasMessageContaining("rowseal.row-signature.require=false");
      assertThat(signed).isEqualTo(2);
      assertThat(jpa.raw("select rowseal_sig from " + jpa.table("patient")))
          .allSatisfy(r -> assertThat(r.get("rowseal_sig")).isNotNull());
      Patient one = jpa.fromTransaction(s -> s.find(Patient.class, 1L));
      assertThat(one.ssn).isEqualTo("078-05-1001");
      assertThat(one.ward).isEqualTo("ward-1");
      jpa.rawUpdate("update " + jpa.table("patient") + " set ward = 'elsewhere' where id = 1");
      assertThat(RowSignatureTest.failure(jpa, 1).code()).as("signed by the backfill").isEqualTo("RS-4204");
      assertThat(RowSignatureBackfill.run(jpa.sessionFactory, Patient.class)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_unsignedRowWhileNotRequired_loads_andSignedRowsAreStillVerified(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Map.of(RowsealSettings.ROW_SIGNATURE_REQUIRE, "false"), Patient.class)) {
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 2).forEach(i -> s.persist(new Patient(i))));
      jpa.rawUpdate("update " + jpa.table("patient") + " set rowseal_sig = null where id = 1");
      jpa.rawUpdate("update " + jpa.table("patient") + " set ward = 'elsewhere' where id = 2");

      Patient unsigned = jpa.fromTransaction(s -> s.find(Patient.class, 1L));

      assertThat(unsigned.ssn).isEqualTo("078-05-1001");
      assertThat(RowSignatureTest.failure(jpa, 2).code()).isEqualTo("RS-4204");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rowSignatureOff_noFooterColumn_andBulkUpdatesWorkAsBefore(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Map.of(RowsealSettings.ROW_SIGNATURE, "false"), Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(1)));

      jpa.inTransaction(s -> s.createMutationQuery("update Patient p set p.ssn = :ssn where p.id = 1")
          .setParameter("ssn", "999-99-9999").executeUpdate());

      assertThat(jpa.raw("select * from " + jpa.table("patient")).get(0)).doesNotContainKey("rowseal_sig")
          .containsKey("ssn");
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 1L)).ssn).isEqualTo("999-99-9999");
    }
  }

  @Test
  void boot_footerColumnRenamed_usesThatColumn() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Map.of(RowsealSettings.ROW_SIGNATURE_COLUMN, "row_mac"),
        Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(1)));

      assertThat(jpa.raw("select row_mac from " + jpa.table("patient")).get(0).get("row_mac")).isNotNull();
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 1L)).ssn).isEqualTo("078-05-1001");
    }
  }

  @Test
  void boot_badRowSignatureSettings_failWithRs4010() {
    Throwable flag = catchThrowable(() -> Jpa.start(TestDatabase.H2,
        Map.of(RowsealSettings.ROW_SIGNATURE, "maybe"), Patient.class).close());
    Throwable column = catchThrowable(() -> Jpa.start(TestDatabase.H2,
        Map.of(RowsealSettings.ROW_SIGNATURE_COLUMN, "sig; drop table x"), Patient.class).close());

    assertThat(ColumnCheckTest.cause(flag)).hasMessageContaining("RS-4010")
        .hasMessageContaining("rowseal.row-signature must be true or false, was 'maybe'");
    assertThat(ColumnCheckTest.cause(column)).hasMessageContaining("RS-4010")
        .hasMessageContaining("rowseal.row-signature.column must be a plain column name");
  }
}
