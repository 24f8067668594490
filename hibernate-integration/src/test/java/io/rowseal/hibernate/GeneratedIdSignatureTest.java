package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.Encrypted;
import io.rowseal.Signed;
import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ids known before the insert (sequence, table generator, UUID) are signed in the INSERT itself: no
 * second statement. Schema generation sizes the footer column exactly.
 */
class GeneratedIdSignatureTest {

  @Entity(name = "SequencePatient")
  @Table(name = "sequence_patient")
  static class SequencePatient {
    @Id @GeneratedValue(strategy = GenerationType.SEQUENCE) Long id;
    @Encrypted String ssn;
    @Signed String ward;
  }

  @Entity(name = "TablePatient")
  @Table(name = "table_patient")
  static class TablePatient {
    @Id @GeneratedValue(strategy = GenerationType.TABLE) Long id;
    @Encrypted String ssn;
    @Signed String ward;
  }

  @Entity(name = "UuidPatient")
  @Table(name = "uuid_patient")
  static class UuidPatient {
    @Id @GeneratedValue UUID id;
    @Encrypted String ssn;
    @Signed String ward;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persist_idsGeneratedBeforeTheInsert_signedInTheInsertAndVerifiedOnLoad(TestDatabase db) throws Exception {
    try (Jpa jpa = Jpa.start(db, SequencePatient.class, TablePatient.class, UuidPatient.class)) {
      SequencePatient a = new SequencePatient();
      TablePatient b = new TablePatient();
      UuidPatient c = new UuidPatient();
      a.ssn = b.ssn = c.ssn = "078-05-1120";
      a.ward = b.ward = c.ward = "east";
      jpa.sql.clear();

      jpa.inTransaction(s -> List.of(a, b, c).forEach(s::persist));

      assertThat(jpa.sql.statements()).filteredOn(q -> q.startsWith("update") && q.contains("rowseal_sig"))
          .as("no footer UPDATE").isEmpty();
      for (String table : List.of("sequence_patient", "table_patient", "uuid_patient")) {
        assertThat(jpa.raw("select rowseal_sig from " + jpa.table(table)).get(0).get("rowseal_sig"))
            .isNotNull();
        if (db != TestDatabase.POSTGRESQL) {
          assertThat(columnSize(jpa, jpa.table(table), "rowseal_sig"))
              .isEqualTo(Envelope.footerLength("default"));
        }
      }
      assertThat(jpa.fromTransaction(s -> s.find(UuidPatient.class, c.id)).ssn).isEqualTo("078-05-1120");
      assertThat(jpa.fromTransaction(s -> s.find(SequencePatient.class, a.id)).ward).isEqualTo("east");

      jpa.rawUpdate("update " + jpa.table("uuid_patient") + " set ward = 'west'");
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(UuidPatient.class, c.id)));
      assertThat(TamperTest.cause(thrown)).hasMessageContaining("UuidPatient id " + c.id);
    }
  }

  static long columnSize(Jpa jpa, String table, String column) throws Exception {
    try (Connection c = jpa.pool.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String t : List.of(table, table.toUpperCase(Locale.ROOT))) {
        for (String col : List.of(column, column.toUpperCase(Locale.ROOT))) {
          try (ResultSet rs = meta.getColumns(c.getCatalog(), null, t, col)) {
            if (rs.next()) {
              return rs.getLong("COLUMN_SIZE");
            }
          }
        }
      }
    }
    throw new AssertionError("no column " + table + "." + column);
  }
}
