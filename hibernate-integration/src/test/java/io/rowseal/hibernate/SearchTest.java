package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Searches on {@code @Searchable} attributes return exactly the rows a plaintext column would, through HQL,
 * literals, in-lists and Criteria, with the index's false positives removed; every other condition on an
 * encrypted column is refused before any SQL is sent.
 */
class SearchTest {
  private static final String[] NAMES = {"Davis", "Davies", "Dave", "Franklin", "Black", "Coleman", "Escobito",
      "Schroeder", "Estaban", "McTavish", "Davis", "x", "50% off", "Da_vis", "Dāvis"};

  private static List<Person> people() {
    List<Person> out = new ArrayList<>();
    for (long id = 1; id <= 300; id++) {
      out.add(new Person(id, "User" + id + "@Example.org", NAMES[(int) (id % NAMES.length)]));
    }
    return out;
  }

  private static List<Long> expected(Predicate<Person> p) {
    return people().stream().filter(p).map(x -> x.id).sorted().collect(Collectors.toList());
  }

  private static Jpa seeded(TestDatabase db) {
    Jpa jpa = Jpa.start(db, Person.class);
    jpa.inTransaction(s -> people().forEach(s::persist));
    return jpa;
  }

  private static List<Long> ids(List<Person> people) {
    return people.stream().map(p -> p.id).sorted().collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void equality_parameterLiteralInListAndCriteria_returnExactlyTheMatchingRows(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      // 300 values in an 8-bit index: about one false positive per lookup, removed after decryption
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.email = :e", Person.class)
          .setParameter("e", "  user42@example.ORG ").getResultList()))).containsExactly(42L);
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Person p where p.email = 'user7@example.org'", Person.class).getResultList()))).containsExactly(7L);
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.email in (:e)", Person.class)
          .setParameter("e", List.of("user1@example.org", "user2@example.org", "nobody@example.org"))
          .getResultList()))).containsExactly(1L, 2L);
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.lastName = :n", Person.class)
          .setParameter("n", "Davis").getResultList()))).isEqualTo(expected(p -> p.lastName.equals("Davis")));
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.score = :n", Person.class)
          .setParameter("n", 3).getResultList()))).isEqualTo(expected(p -> p.score == 3));
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.login = :l", Person.class)
          .setParameter("l", "login-99").getResultList()))).containsExactly(99L);
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Person p where p.lastName <> :n and p.city = 'city-1'", Person.class).setParameter("n", "Davis")
          .getResultList()))).isEqualTo(expected(p -> !p.lastName.equals("Davis") && p.city.equals("city-1")));
      Long davises = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select count(p) from Person p where p.lastName = :n", Long.class).setParameter("n", "Davis")
          .getSingleResult());
      assertThat(davises).isEqualTo(expected(p -> p.lastName.equals("Davis")).size());

      List<Person> criteria = jpa.fromTransaction(s -> {
        CriteriaBuilder cb = s.getCriteriaBuilder();
        CriteriaQuery<Person> q = cb.createQuery(Person.class);
        Root<Person> p = q.from(Person.class);
        q.where(cb.or(cb.equal(p.get("email"), "user5@example.org"), p.get("lastName").in("Black", "Coleman")));
        return s.createQuery(q).getResultList();
      });
      assertThat(ids(criteria)).isEqualTo(expected(p -> p.id == 5 || p.lastName.equals("Black")
          || p.lastName.equals("Coleman")));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void prefix_likeStartingWith_returnsExactlyTheMatchingRows(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      for (String prefix : List.of("", "D", "Dav", "Davi", "Davis", "x", "Q", "50% o", "Da_", "Dā")) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<Person> found = jpa.fromTransaction(s -> s.createSelectionQuery(
            "from Person p where p.lastName like :p escape '\\'", Person.class).setParameter("p", pattern)
            .getResultList());
        assertThat(ids(found)).as("like '%s'", pattern).isEqualTo(expected(p -> p.lastName.startsWith(prefix)));
      }
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery(
          "from Person p where p.lastName like 'Dav%'", Person.class).getResultList())))
          .isEqualTo(expected(p -> p.lastName.startsWith("Dav")));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void searchableColumns_holdNoPlaintext_andAPlainLoadWritesNothing(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      List<Map<String, Object>> rows = jpa.raw("select * from " + jpa.table("person") + " where id = 1");
      assertThat(rows.get(0)).containsKeys("email_bidx", "lastname_p1", "lastname_p3", "login_bidx");
      for (Object v : rows.get(0).values()) {
        if (v instanceof byte[] b) {
          String s = new String(b, StandardCharsets.ISO_8859_1);
          assertThat(s).doesNotContain("user1@").doesNotContain("Davies").doesNotContain("login-1");
        }
      }
      jpa.sql.clear();
      jpa.inTransaction(s -> s.createSelectionQuery("from Person p", Person.class).getResultList());
      assertThat(jpa.sql.statements()).noneMatch(q -> q.toLowerCase().startsWith("update"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void update_reindexes_soTheOldValueIsNoLongerFound(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      jpa.inTransaction(s -> s.find(Person.class, 3L).email = "changed@example.org");
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.email = :e", Person.class)
          .setParameter("e", "changed@example.org").getResultList()))).containsExactly(3L);
      List<Person> old = jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.email = :e",
          Person.class).setParameter("e", "user3@example.org").getResultList());
      assertThat(old).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void bulkUpdateAndDelete_bySearchableAttribute_touchExactlyTheMatchingRows(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      int updated = jpa.fromTransaction(s -> s.createMutationQuery(
          "update Person p set p.city = 'moved' where p.lastName = :n").setParameter("n", "Black").executeUpdate());
      int deleted = jpa.fromTransaction(s -> s.createMutationQuery("delete from Person p where p.email in (:e)")
          .setParameter("e", List.of("user10@example.org", "USER11@example.org")).executeUpdate());

      assertThat(updated).isEqualTo(expected(p -> p.lastName.equals("Black")).size());
      assertThat(deleted).isEqualTo(2);
      List<Person> moved = jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.city = 'moved'",
          Person.class).getResultList());
      assertThat(ids(moved)).isEqualTo(expected(p -> p.lastName.equals("Black")));
      List<Person> gone = jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.id in (10, 11)",
          Person.class).getResultList());
      assertThat(gone).isEmpty();
      Throwable refused = catchThrowable(() -> jpa.inTransaction(s -> s.createMutationQuery(
          "delete from Person p where p.note = :n").setParameter("n", "note 1").executeUpdate()));
      assertThat(QueryRestrictionTest.chain(refused)).anySatisfy(t -> assertThat(t.getMessage()).contains("RS-4405"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void shreddingTheBranchKey_shredsItsIndexKey_soSearchesFindNothingAndFailNothing(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      String keyId = jpa.envelope.activeBranchKey().keyId();
      int indexVersionsBefore = jpa.envelope.branchKeyVersions(keyId + ":index").size();

      jpa.envelope.destroyBranchKey(keyId);

      assertThat(indexVersionsBefore).isEqualTo(1);
      assertThat(jpa.envelope.branchKeyVersions(keyId + ":index")).extracting(r -> r.status().name())
          .containsExactly("DESTROYED", "ACTIVE");
      List<Person> found = jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.email = :e",
          Person.class).setParameter("e", "user42@example.org").getResultList());
      assertThat(found).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void unique_duplicateInsertFailsOnTheConstraint(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      Person twin = new Person(1000, "twin@example.org", "Twin");
      twin.login = "login-5";
      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.persist(twin)));
      assertThat(thrown).isInstanceOf(org.hibernate.exception.ConstraintViolationException.class);
      Person stored = jpa.fromTransaction(s -> s.find(Person.class, 1000L));
      assertThat(stored).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("unique, after an index-key rotation and before the job: a duplicate of a value still under the old "
      + "version is refused as the unique key would refuse it; the row holding it may still be updated")
  void unique_afterIndexKeyRotation_duplicateOfAnOldVersionValueRefused(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      assertThat(RowsealKeys.rotateIndexKey(jpa.sessionFactory).version()).isEqualTo(2);

      Person twin = new Person(1000, "twin@example.org", "Twin");
      twin.login = "login-5";
      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.persist(twin)));
      assertThat(thrown).isInstanceOf(org.hibernate.exception.ConstraintViolationException.class)
          .hasMessageContaining("RS-4406").hasMessageContaining("Person.login").hasMessageContaining("version 1")
          .hasMessageNotContaining("login-5");
      assertThat(((org.hibernate.exception.ConstraintViolationException) thrown).getConstraintName())
          .startsWith("uk_").contains("login");
      Person none = jpa.fromTransaction(s -> s.find(Person.class, 1000L));
      assertThat(none).isNull();

      // the row that holds the value under version 1 is not a duplicate of itself
      jpa.inTransaction(s -> s.find(Person.class, 5L).city = "Oslo");
      // another row taking the value is refused the same way
      Throwable taken = catchThrowable(() -> jpa.inTransaction(s -> s.find(Person.class, 6L).login = "login-7"));
      assertThat(taken).isInstanceOf(org.hibernate.exception.ConstraintViolationException.class)
          .hasMessageContaining("RS-4406");
      String kept = jpa.fromTransaction(s -> s.find(Person.class, 6L).login);
      assertThat(kept).isEqualTo("login-6");

      // a value no row holds is written, under the new version
      twin.login = "login-new";
      jpa.inTransaction(s -> s.persist(twin));
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.login = :l", Person.class)
          .setParameter("l", "login-new").getResultList()))).containsExactly(1000L);
      assertThat(ids(jpa.fromTransaction(s -> s.createSelectionQuery("from Person p where p.login = :l", Person.class)
          .setParameter("l", "login-7").getResultList()))).containsExactly(7L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void unanswerableQueries_failWithAnRsCodeBeforeAnySqlIsSent(TestDatabase db) {
    try (Jpa jpa = seeded(db)) {
      Map<String, String> refused = Map.of(
          "from Person p where p.lastName like '%vis'", "RS-4404",
          "from Person p where p.lastName like 'D_vis'", "RS-4404",
          "from Person p where p.email like 'user%'", "RS-4403",
          "from Person p where p.score > 3", "RS-4403",
          "from Person p order by p.lastName", "RS-4403",
          "from Person p where p.note = 'note 1'", "RS-4405",
          "from Person p where p.email = p.lastName", "RS-4403");
      refused.forEach((query, code) -> {
        Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.createSelectionQuery(query, Person.class)
            .getResultList()));
        assertThat(thrown).as(query).isNotNull();
        assertThat(QueryRestrictionTest.chain(thrown)).as(query).anySatisfy(t -> assertThat(t.getMessage())
            .contains(code).contains("Person.").doesNotContain("row-signature"));
      });
    }
  }
}
