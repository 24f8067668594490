package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows an application held before rowseal: their encrypted columns hold the plaintext a VARCHAR to
 * VARBINARY change leaves (its UTF-8 bytes) and no footer. Read only with transition reads on.
 */
class TransitionReadsTest {
  static final Map<String, Object> ON = Map.of(RowsealSettings.TRANSITION_READ_PLAINTEXT, "true");

  /** Inserts row {@code id} as the legacy application wrote it, in the encrypted schema. */
  static void legacyRow(Jpa jpa, long id, String email, String birth, String tier, String score,
      String balance) {
    jpa.rawUpdate("insert into " + jpa.table("old_customer")
        + " (id, name, email, birth, tier, score, balance) values (?, ?, ?, ?, ?, ?, ?)", id, "name-" + id,
        utf8(email), utf8(birth), utf8(tier), utf8(score), utf8(balance));
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_legacyRowWithTransitionReads_readsThePlaintextAndCountsIt(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRow(jpa, 1, "ann@example.org", "1980-02-29", "SILVER", "42", "12.50");
      legacyRow(jpa, 2, "bob@example.org", null, null, null, null);

      OldCustomer ann = jpa.fromTransaction(s -> s.find(OldCustomer.class, 1L));
      OldCustomer bob = jpa.fromTransaction(s -> s.find(OldCustomer.class, 2L));

      assertThat(ann.email).isEqualTo("ann@example.org");
      assertThat(ann.birth).isEqualTo(LocalDate.of(1980, 2, 29));
      assertThat(ann.tier).isEqualTo(Tier.SILVER);
      assertThat(ann.score).isEqualTo(42);
      assertThat(ann.balance).isEqualByComparingTo(new BigDecimal("12.50"));
      assertThat(bob.email).isEqualTo("bob@example.org");
      assertThat(bob.birth).isNull();
      assertThat(RowsealInventory.transitionReads(jpa.sessionFactory)).containsEntry("OldCustomer", 6L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_legacyRowWithoutTransitionReads_failsAsAnIntegrityFailure(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, OldCustomer.class)) {
      legacyRow(jpa, 1, "ann@example.org", "1980-02-29", "SILVER", "42", "12.50");

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(OldCustomer.class, 1L)));

      EncryptedReadException e = Causes.find(thrown, EncryptedReadException.class);
      assertThat(e.code()).isEqualTo("RS-4201");
      assertThat(e).hasMessageNotContaining("ann@example.org");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void update_legacyRow_isEncryptedAndSignedAndReadsBackAsRowsealValues(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRow(jpa, 1, "ann@example.org", "1980-02-29", "SILVER", "42", "12.50");

      jpa.inTransaction(s -> s.find(OldCustomer.class, 1L).name = "Ann");

      Map<String, Object> row = jpa.raw("select * from " + jpa.table("old_customer")).get(0);
      assertThat(Envelope.isValue((byte[]) row.get("email"))).isTrue();
      assertThat(Envelope.isValue((byte[]) row.get("tier"))).isTrue();
      assertThat(row.get("rowseal_sig")).isNotNull();
      LegacyPlaintext legacy = LegacyPlaintext.of(jpa.sessionFactory.unwrap(
          org.hibernate.engine.spi.SessionFactoryImplementor.class));
      assertThat(legacy.reads()).containsEntry("OldCustomer", 5L);
      OldCustomer ann = jpa.fromTransaction(s -> s.find(OldCustomer.class, 1L));
      assertThat(legacy.reads()).as("read as rowseal values now").containsEntry("OldCustomer", 5L);
      assertThat(ann.email).isEqualTo("ann@example.org");
      assertThat(ann.tier).isEqualTo(Tier.SILVER);
      assertThat(ann.name).isEqualTo("Ann");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_encryptedRowWhoseFooterWasRemoved_stillFailsWithTransitionReads(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      OldCustomer c = new OldCustomer();
      c.id = 7L;
      c.email = "eve@example.org";
      jpa.inTransaction(s -> s.persist(c));
      jpa.rawUpdate("update " + jpa.table("old_customer") + " set rowseal_sig = null");

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(OldCustomer.class, 7L)));

      assertThat(Causes.find(thrown, EncryptedReadException.class).code()).isEqualTo("RS-4205");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_legacyValueNotOfTheColumnsType_failsNamingTheAttribute(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, ON, OldCustomer.class)) {
      legacyRow(jpa, 1, "ann@example.org", "1980-02-29", "SILVER", "forty-two", "12.50");

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(OldCustomer.class, 1L)));

      EncryptedReadException e = Causes.find(thrown, EncryptedReadException.class);
      assertThat(e.code()).isEqualTo("RS-4206");
      assertThat(e).hasMessageContaining("OldCustomer.score").hasMessageNotContaining("forty-two");
    }
  }
}
