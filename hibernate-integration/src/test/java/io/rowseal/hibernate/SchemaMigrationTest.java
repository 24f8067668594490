package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table an application created and filled with plaintext, before rowseal: the DDL rowseal prints
 * executes as printed on each database, empty or populated, after which rowseal boots on it and
 * transition reads serve the old rows.
 */
class SchemaMigrationTest {
  static final Map<String, Object> AS_IT_IS = Map.of("hibernate.hbm2ddl.auto", "none",
      RowsealSettings.COLUMN_CHECK, "warn", RowsealSettings.TRANSITION_READ_PLAINTEXT, "true");

  static void legacyTable(Jpa jpa, boolean populated) {
    String t = jpa.table("old_customer");
    String decimal = jpa.db == TestDatabase.POSTGRESQL ? "numeric(10,2)" : "decimal(10,2)";
    jpa.rawUpdate("create table " + t + " (id bigint not null primary key, name varchar(255), "
        + "email varchar(255), birth date, tier varchar(20), score integer, balance " + decimal + ")");
    if (populated) {
      jpa.rawUpdate("insert into " + t + " values (1, 'Ann', 'ann@example.org', date '1980-02-29', 'SILVER', 42, 12.50)");
      jpa.rawUpdate("insert into " + t + " values (2, 'Bob', 'bob@example.org', null, null, null, null)");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void statements_onAPopulatedPlaintextTable_runAsPrintedAndKeepTheOldRowsReadable(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      legacyTable(jpa, true);
      try {
        jpa.boot(AS_IT_IS, OldCustomer.class);
        List<String> statements = RowsealSchema.statements(jpa.sessionFactory);
        assertThat(String.join("\n", statements)).contains("email", "birth", "tier", "score", "balance",
            "rowseal_sig");

        assertThat(RowsealSchema.apply(jpa.sessionFactory)).isEqualTo(statements.size());

        assertThat(RowsealSchema.statements(jpa.sessionFactory)).as("nothing left to change").isEmpty();
        Map<String, Object> checked = new HashMap<>(AS_IT_IS);
        checked.remove(RowsealSettings.COLUMN_CHECK);
        jpa.boot(checked, OldCustomer.class);
        OldCustomer ann = jpa.fromTransaction(s -> s.find(OldCustomer.class, 1L));
        assertThat(ann.email).isEqualTo("ann@example.org");
        assertThat(ann.birth).isEqualTo(LocalDate.of(1980, 2, 29));
        assertThat(ann.tier).isEqualTo(Tier.SILVER);
        assertThat(ann.score).isEqualTo(42);
        assertThat(ann.balance).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(jpa.fromTransaction(s -> s.find(OldCustomer.class, 2L)).email).isEqualTo("bob@example.org");
      } finally {
        jpa.rawUpdate("drop table " + jpa.table("old_customer"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void statements_onAnEmptyPlaintextTable_runAsPrinted(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      legacyTable(jpa, false);
      try {
        jpa.boot(AS_IT_IS, OldCustomer.class);

        RowsealSchema.apply(jpa.sessionFactory);

        Map<String, Object> checked = new HashMap<>(AS_IT_IS);
        checked.remove(RowsealSettings.COLUMN_CHECK);
        jpa.boot(checked, OldCustomer.class);
        OldCustomer c = new OldCustomer();
        c.id = 3L;
        c.email = "new@example.org";
        jpa.inTransaction(s -> s.persist(c));
        assertThat(jpa.fromTransaction(s -> s.find(OldCustomer.class, 3L)).email).isEqualTo("new@example.org");
      } finally {
        jpa.rawUpdate("drop table " + jpa.table("old_customer"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_validateOnAPlaintextTable_failsWithRowsealsMessageAndItsDdl(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      legacyTable(jpa, true);
      try {
        Throwable thrown = catchThrowable(() -> jpa.boot(Map.of("hibernate.hbm2ddl.auto", "validate"),
            OldCustomer.class));

        EncryptedMappingException e = Causes.find(thrown, EncryptedMappingException.class);
        assertThat(e.code()).isEqualTo("RS-4302");
        assertThat(e).hasMessageContaining("RS-4303").hasMessageContaining("rowseal_sig")
            .hasMessageContaining("change it with: ");
      } finally {
        jpa.rawUpdate("drop table " + jpa.table("old_customer"));
      }
    }
  }
}
