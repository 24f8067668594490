package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.envelope.FormatV1Writer;
import io.rowseal.envelope.RowCanonical;
import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 6 across the format change: rows that rowseal wrote in value format 1 and row footer 1
 * (before format 2 derived the row key) load through Hibernate, footer verified, and a changed row is
 * written back in format 2. The format 1 row is made from the primitives ({@link FormatV1Writer}) under
 * the factory's own branch key and put in place with plain JDBC, as an upgrade would find it.
 */
class FormatV1RowsTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void formatOneRow_loadsVerifiesAndIsRewrittenInFormatTwoWhenChanged(TestDatabase db) throws Exception {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(1)));
      String table = jpa.table("patient");
      Map<String, Object> current = jpa.raw("select ssn, diagnosis from " + table + " where id = 1").get(0);
      byte[] ssnEncoding = jpa.envelope.decrypt((byte[]) current.get("ssn"), "Patient.ssn");
      byte[] diagnosisEncoding = jpa.envelope.decrypt((byte[]) current.get("diagnosis"), "Patient.diagnosis");

      FormatV1Writer v1 = formatOneRow(jpa);
      byte[] ssn = v1.value(ssnEncoding, "Patient.ssn");
      byte[] diagnosis = v1.value(diagnosisEncoding, "Patient.diagnosis");
      byte[] ward = stringEncoding(ssnEncoding[0], "ward-1");
      byte[] footer = v1.footer(RowCanonical.of("Patient", longId(1)).encrypted("Patient.ssn", ssn)
          .encrypted("Patient.diagnosis", diagnosis).signed("Patient.ward", ward).toBytes());
      widenFooterColumnAsFormatOneMadeIt(jpa, table, footer.length);
      jpa.rawUpdate("update " + table + " set ssn = ?, diagnosis = ?, rowseal_sig = ? where id = 1",
          ssn, diagnosis, footer);

      Patient loaded = jpa.fromTransaction(s -> s.find(Patient.class, 1L));
      assertThat(loaded.ssn).isEqualTo(new Patient(1).ssn);
      assertThat(loaded.diagnosis).isEqualTo(new Patient(1).diagnosis);

      // The format 1 footer is checked, not skipped: a row with its signed attribute edited fails.
      jpa.rawUpdate("update " + table + " set ward = 'ward-9' where id = 1");
      Throwable edited = catchThrowable(() -> jpa.fromTransaction(s -> s.find(Patient.class, 1L)));
      assertThat(TamperTest.cause(edited).code()).isEqualTo("RS-4204");
      jpa.rawUpdate("update " + table + " set ward = 'ward-1' where id = 1");

      // The migration job rewrites a row whose footer is not bound to its table (footer version 1 or 2).
      MigrationReport report = RowMigration.of(jpa.sessionFactory, Patient.class).checkpointTable(jpa.table("rs_mig"))
          .run();
      assertThat(report.rewritten()).isEqualTo(1);
      assertThat(((byte[]) jpa.raw("select rowseal_sig from " + table + " where id = 1").get(0).get("rowseal_sig"))[0])
          .as("footer format after the job").isEqualTo((byte) 3);

      jpa.inTransaction(s -> s.find(Patient.class, 1L).diagnosis = "changed");
      Map<String, Object> rewritten = jpa.raw("select ssn, diagnosis, rowseal_sig from " + table + " where id = 1").get(0);
      assertThat(((byte[]) rewritten.get("diagnosis"))[0]).as("value format").isEqualTo((byte) 2);
      assertThat(((byte[]) rewritten.get("rowseal_sig"))[0]).as("footer format, bound to table").isEqualTo((byte) 3);
      assertThat(jpa.fromTransaction(s -> s.find(Patient.class, 1L)).diagnosis).isEqualTo("changed");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void formatOneRow_anyValueByteChanged_failsToLoad(TestDatabase db) throws Exception {
    try (Jpa jpa = Jpa.start(db, Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(2)));
      String table = jpa.table("patient");
      byte[] stored = (byte[]) jpa.raw("select ssn from " + table + " where id = 2").get(0).get("ssn");
      byte[] encoding = jpa.envelope.decrypt(stored, "Patient.ssn");
      byte[] ssn = formatOneRow(jpa).value(encoding, "Patient.ssn");

      for (int i = 0; i < ssn.length; i += 7) {
        byte[] tampered = ssn.clone();
        tampered[i] ^= 1;
        jpa.rawUpdate("update " + table + " set ssn = ? where id = 2", tampered);
        Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(Patient.class, 2L)));
        assertThat(TamperTest.cause(thrown).attribute()).as("byte %d", i).isEqualTo("Patient.ssn");
      }
    }
  }

  /** A format 1 row write under the factory's ACTIVE branch key (unwrapped here through the test's KMS). */
  private static FormatV1Writer formatOneRow(Jpa jpa) throws Exception {
    BranchKeyRecord active = jpa.keyStore.findActive("default").orElseThrow();
    KeyMaterial branchKey = jpa.kms.unwrap(active.cmkId(), active.wrappedKey(), EncryptionContext.of(java.util.Map.of(
        "rowseal:branch-key-id", "default", "rowseal:branch-key-version", Integer.toString(active.ref().version()),
        "rowseal:cmk-id", active.cmkId())));
    return FormatV1Writer.randomRow(branchKey, active.ref());
  }

  /**
   * A schema made by a format 1 rowseal has a footer column 48 bytes wider than format 2 needs (111
   * bytes under key id {@code default}); this table was made by format 2, so widen it as an upgrade finds it.
   */
  private static void widenFooterColumnAsFormatOneMadeIt(Jpa jpa, String table, int width) {
    switch (jpa.db) {
      case H2 -> jpa.rawUpdate("alter table " + table + " alter column rowseal_sig set data type varbinary(" + width + ")");
      case MARIADB -> jpa.rawUpdate("alter table " + table + " modify rowseal_sig varbinary(" + width + ")");
      case POSTGRESQL -> { } // bytea has no width
    }
  }

  /** Value encoding v1 of a String: the codec's tag (read off a real encoding), then UTF-8. */
  private static byte[] stringEncoding(byte tag, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[1 + utf8.length];
    out[0] = tag;
    System.arraycopy(utf8, 0, out, 1, utf8.length);
    return out;
  }

  /** Value encoding v1 of a Long id (docs/FORMAT.md: tag 0x13, 8 bytes big-endian). */
  private static byte[] longId(long id) {
    byte[] out = new byte[9];
    out[0] = 0x13;
    for (int i = 0; i < 8; i++) {
      out[8 - i] = (byte) (id >>> (8 * i));
    }
    return out;
  }
}
