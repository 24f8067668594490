package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values bound outside an entity flush are encrypted too, each under a data key of its own. Bulk and
 * native writes need unsigned rows: with row signatures on (the default) they are refused with
 * {@code RS-4402} ({@link RowSignatureTest}), since they cannot re-sign the rows they change.
 */
class WritePathsTest {
  static final Map<String, Object> UNSIGNED = Map.of(RowsealSettings.ROW_SIGNATURE, "false");

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void bulkUpdate_hqlParameter_storesCiphertextThatReadsBack(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, UNSIGNED, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      long rows = jpa.envelope.metrics().rowsEncrypted();

      int updated = jpa.fromTransaction(s -> s.createMutationQuery(
              "update Account a set a.email = :email, a.birth = :birth where a.id = 1")
          .setParameter("email", "bulk@example.org").setParameter("birth", LocalDate.of(2000, 2, 2))
          .executeUpdate());

      assertThat(updated).isEqualTo(1);
      assertThat(jpa.envelope.metrics().rowsEncrypted() - rows).as("a DEK per value").isEqualTo(2);
      assertNoPlaintext(jpa, "bulk@example.org");
      Account a = jpa.fromTransaction(s -> s.find(Account.class, 1L));
      assertThat(a.email).isEqualTo("bulk@example.org");
      assertThat(a.birth).isEqualTo(LocalDate.of(2000, 2, 2));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void statelessSession_insertAndUpdate_storesCiphertextWithOneDekPerRow(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.sessionFactory.inStatelessTransaction(s -> {
        s.insert(new Account(1));
        s.insert(new Account(2));
        Account changed = new Account(2);
        changed.email = "stateless@example.org";
        s.update(changed);
      });

      assertThat(jpa.envelope.metrics().rowsEncrypted()).isEqualTo(3);
      assertNoPlaintext(jpa, "user1@example.org");
      assertNoPlaintext(jpa, "stateless@example.org");
      Account a = jpa.fromTransaction(s -> s.find(Account.class, 2L));
      assertThat(a.email).isEqualTo("stateless@example.org");
      assertThat(a.balance).isEqualTo(new Account(2).balance);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void nativeQuery_parameterTypedWithTheAttributesType_isEncrypted(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, UNSIGNED, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));
      var emailType = jpa.sessionFactory.getMetamodel().entity(Account.class)
          .getSingularAttribute("email", String.class).getType();

      jpa.inTransaction(s -> {
        s.createNativeMutationQuery("update " + jpa.table("account") + " set email = :e where id = 1")
            .setParameter("e", "native@example.org", emailType).executeUpdate();
      });

      assertNoPlaintext(jpa, "native@example.org");
      String email = jpa.fromTransaction(s -> s.find(Account.class, 1L).email);
      assertThat(email).isEqualTo("native@example.org");
    }
  }

  static void assertNoPlaintext(Jpa jpa, String plaintext) {
    byte[] needle = plaintext.getBytes(StandardCharsets.UTF_8);
    for (var row : jpa.raw("select * from " + jpa.table("account"))) {
      for (Object v : row.values()) {
        if (v instanceof byte[] b) {
          assertThat(StorageTest.indexOf(b, needle)).isEqualTo(-1);
        } else if (v != null) {
          assertThat(v.toString()).doesNotContain(plaintext);
        }
      }
    }
  }
}
