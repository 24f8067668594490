package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import org.hibernate.query.SemanticException;
import org.hibernate.query.sqm.produce.function.FunctionArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where Hibernate lets rowseal see a query compare an encrypted attribute, it refuses clearly. */
class QueryRestrictionTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeEqualsLiteral_failsWithRs4405(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email = 'user1@example.org'", Account.class).getResultList()));

      assertThat(chain(thrown)).anySatisfy(t -> assertThat(t).isInstanceOf(EncryptedQueryException.class)
          .hasMessageContaining("RS-4405").hasMessageContaining("Account.email"));
    }
  }

  // LIKE and min/max never reach rowseal: Hibernate's query check refuses them because the encrypted
  // JDBC type is neither string-like nor comparable (docs/HIBERNATE.md, section 9). So the tests pin
  // Hibernate's exception and its reason, and run the same query on a plaintext attribute as a control.

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeLikePattern_isRejectedAsNotAString(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email like :p", Account.class).setParameter("p", "user%").getResultList()));

      assertThat(thrown).isInstanceOf(SemanticException.class)
          .hasMessage(NOT_A_STRING);
      List<Account> plaintextControl = jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.owner like :p", Account.class).setParameter("p", "owner%").getResultList());
      assertThat(plaintextControl).extracting(a -> a.id).containsExactly(1L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_textFormAttributeLikeOrMax_isRejected(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, TextSample.class)) {
      jpa.inTransaction(s -> s.persist(new TextSample(1, "abc")));

      Throwable like = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from TextSample t where t.secret like 'a%'", TextSample.class).getResultList()));
      Throwable max = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "select max(t.secret) from TextSample t", Object.class).getResultList()));

      assertThat(like).isInstanceOf(SemanticException.class).hasMessage(NOT_A_STRING);
      assertThat(max).isInstanceOf(FunctionArgumentException.class)
          .hasMessageContaining("function 'max()' has type 'COMPARABLE'")
          .hasMessageContaining("mapped to 'ENCRYPTED_TEXT'");
      Long plaintextControl = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select max(t.id) from TextSample t", Long.class).getSingleResult());
      assertThat(plaintextControl).isEqualTo(1L);
    }
  }

  private static final String NOT_A_STRING =
      "Operand of 'like' is of type 'java.lang.String' which is not a string (its JDBC type code is not string-like)";

  // Before searchable attributes, this query returned an empty list without rows signed, and RS-4402 advising
  // row-signature=false with them: an error whose advice turned it into a wrong answer. Now both refuse it
  // before any SQL is sent, name the attribute and say what to declare.
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_nonSearchableAttributeEqualsParameter_failsWithRs4405_signedOrNot(TestDatabase db) {
    for (Map<String, Object> settings : List.of(Map.<String, Object>of(), WritePathsTest.UNSIGNED)) {
      try (Jpa jpa = Jpa.start(db, settings, Account.class)) {
        jpa.inTransaction(s -> s.persist(new Account(1)));

        Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
            "from Account a where a.email = :e", Account.class).setParameter("e", "user1@example.org")
            .getResultList()));

        assertThat(chain(thrown)).anySatisfy(t -> assertThat(t).isInstanceOf(EncryptedQueryException.class)
            .hasMessageStartingWith("RS-4405: Account.email").hasMessageContaining("@Searchable")
            .hasMessageNotContaining("user1").hasMessageNotContaining("row-signature"));
      }
    }
  }

  static List<Throwable> chain(Throwable t) {
    List<Throwable> out = new java.util.ArrayList<>();
    for (; t != null; t = t.getCause()) {
      out.add(t);
    }
    return out;
  }
}
