package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where Hibernate lets rowseal see a query compare an encrypted attribute, it refuses clearly. */
class QueryRestrictionTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeEqualsLiteral_failsWithRs4401(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email = 'user1@example.org'", Account.class).getResultList()));

      assertThat(chain(thrown)).anySatisfy(t -> assertThat(t).isInstanceOf(EncryptedQueryException.class)
          .hasMessageContaining("RS-4401").hasMessageContaining("Account.email"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeLikePattern_isRejectedAsNotAString(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email like :p", Account.class).setParameter("p", "user%").getResultList()));

      assertThat(thrown).hasMessageContaining("like");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_textFormAttributeLikeOrMax_isRejected(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, TextSample.class)) {
      Throwable like = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from TextSample t where t.secret like 'a%'", TextSample.class).getResultList()));
      Throwable max = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "select max(t.secret) from TextSample t", Object.class).getResultList()));

      assertThat(like).hasMessageContaining("like");
      assertThat(max).isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeEqualsParameter_findsNothingBecauseEveryEncryptionDiffers(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, WritePathsTest.UNSIGNED, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      List<Account> found = jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email = :e", Account.class).setParameter("e", "user1@example.org")
          .getResultList());

      assertThat(found).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void select_encryptedAttributeOfSignedRowEqualsParameter_failsWithRs4402(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.inTransaction(s -> s.persist(new Account(1)));

      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Account a where a.email = :e", Account.class).setParameter("e", "user1@example.org")
          .getResultList()));

      assertThat(chain(thrown)).anySatisfy(t -> assertThat(t).isInstanceOf(EncryptedQueryException.class)
          .hasMessageStartingWith("RS-4402: Account.email").hasMessageNotContaining("user1"));
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
