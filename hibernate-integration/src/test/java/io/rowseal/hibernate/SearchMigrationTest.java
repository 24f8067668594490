package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import io.rowseal.envelope.BlindIndexKeys;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blind indexes on existing data: rows written before an attribute became searchable (or as legacy
 * plaintext) are not found until the migration job fills their index; after an index-key rotation every
 * row is found before, during and after the job re-indexes it; the column check's DDL adds the index
 * columns and their indexes to a table that lacks them.
 */
class SearchMigrationTest {
  private static final int BITS = SearchIndex.bitsFor(SearchIndex.DEFAULT_DISTINCT);

  /** The entity before its attributes were searchable. */
  @Entity(name = "Member")
  @Table(name = "member")
  public static class MemberBefore {
    @Id
    Long id;
    @Encrypted
    String email;
    @Encrypted
    String handle;
    @Encrypted
    String lastName;

    public MemberBefore() {}

    MemberBefore(long id) {
      this.id = id;
      this.email = email(id);
      this.handle = "handle-" + id;
      this.lastName = lastName(id);
    }
  }

  /** The same table once its attributes are searchable. */
  @Entity(name = "Member")
  @Table(name = "member")
  public static class MemberAfter {
    @Id
    Long id;
    @Encrypted
    @Searchable(normalize = Searchable.Normalization.LOWER_CASE)
    String email;
    @Encrypted
    @Searchable(unique = true)
    String handle;
    @Encrypted
    @Searchable(prefix = 2)
    String lastName;

    public MemberAfter() {}

    MemberAfter(long id) {
      this.id = id;
      this.email = email(id);
      this.handle = "handle-" + id;
      this.lastName = lastName(id);
    }
  }

  static String email(long id) {
    return "Member" + id + "@example.org";
  }

  static String lastName(long id) {
    return new String[] {"Smith", "Smythe", "Jones", "Johnson", "Lee"}[(int) (id % 5)];
  }

  private static List<Long> membersWhere(Jpa jpa, String condition, Object value) {
    return jpa.fromTransaction(s -> s.createSelectionQuery("from Member m where m." + condition, MemberAfter.class)
        .setParameter("v", value).getResultList()).stream().map(m -> m.id).sorted().collect(Collectors.toList());
  }

  private static List<Long> matching(long rows, java.util.function.LongPredicate p) {
    List<Long> out = new ArrayList<>();
    for (long id = 1; id <= rows; id++) {
      if (p.test(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Every row 1..rows is found by each of its searchable attributes: equality, unique and prefix. */
  private static void everyMemberFound(Jpa jpa, long rows) {
    for (long id = 1; id <= rows; id++) {
      long i = id;
      assertThat(membersWhere(jpa, "email = :v", email(id).toUpperCase())).as("email of %s", id).containsExactly(id);
      assertThat(membersWhere(jpa, "handle = :v", "handle-" + id)).as("handle of %s", id).containsExactly(id);
      assertThat(membersWhere(jpa, "lastName like :v", lastName(id).substring(0, 2) + "%")).as("prefix of %s", id)
          .isEqualTo(matching(rows, x -> lastName(x).startsWith(lastName(i).substring(0, 2))));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void job_rowsWrittenBeforeTheAttributeWasSearchable_areFoundOnceItFilledTheirIndex(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("member");
      try {
        jpa.boot(Map.of("hibernate.hbm2ddl.auto", "create"), MemberBefore.class);
        jpa.inTransaction(s -> {
          for (long id = 1; id <= 12; id++) {
            s.persist(new MemberBefore(id));
          }
        });
        Map<String, Object> searchable = new HashMap<>(TransitionReadsTest.ON);
        searchable.put("hibernate.hbm2ddl.auto", "update");
        jpa.boot(searchable, MemberAfter.class);

        assertThat(jpa.raw("select * from " + table + " where id = 1").get(0))
            .as("Hibernate's update added the index columns").containsKeys("email_bidx", "handle_bidx",
                "lastname_bidx", "lastname_p1", "lastname_p2");
        assertThat(RowsealSchema.statements(jpa.sessionFactory)).as("and their indexes: nothing left to add").isEmpty();
        jpa.inTransaction(s -> s.persist(new MemberAfter(13)));
        for (long id = 14; id <= 15; id++) { // legacy plaintext, as before rowseal
          jpa.rawUpdate("insert into " + table + " (id, email, handle, lastname) values (?, ?, ?, ?)", id,
              utf8(email(id)), utf8("handle-" + id), utf8(lastName(id)));
        }
        assertThat(membersWhere(jpa, "email = :v", email(5))).as("written before: no index yet").isEmpty();
        assertThat(membersWhere(jpa, "handle = :v", "handle-14")).as("legacy: no index yet").isEmpty();
        assertThat(membersWhere(jpa, "email = :v", email(13))).containsExactly(13L);

        MigrationReport report = RowMigrationTest.migration(jpa, MemberAfter.class).batchSize(5).run();

        assertThat(report.rewritten()).isEqualTo(14);
        assertThat(report.alreadyCurrent()).isEqualTo(1);
        assertThat(report.failedIds()).isEmpty();
        everyMemberFound(jpa, 15);
        MigrationReport again = RowMigrationTest.migration(jpa, MemberAfter.class).run();
        assertThat(again.rewritten()).as("a second pass finds every index current").isZero();
      } finally {
        RowMigrationTest.dropCheckpoint(jpa);
        jpa.rawUpdate("drop table if exists " + table);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void job_afterIndexKeyRotation_reindexesEveryRow_andSearchesFindEveryRowThroughout(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, MemberAfter.class)) {
      jpa.inTransaction(s -> {
        for (long id = 1; id <= 20; id++) {
          s.persist(new MemberAfter(id));
        }
      });
      try {
        BranchKeyRef rotated = RowsealKeys.rotateIndexKey(jpa.sessionFactory);
        assertThat(rotated.keyId()).isEqualTo("default:index");
        assertThat(rotated.version()).isEqualTo(2);
        jpa.inTransaction(s -> s.find(MemberAfter.class, 7L).lastName = "Smith");
        assertThat(tagVersions(jpa, 7)).containsOnly(2);
        assertThat(tagVersions(jpa, 8)).containsOnly(1);
        everyMemberFoundButSeven(jpa);

        Throwable refused = catchThrowable(() -> RowsealKeys.rotateIndexKey(jpa.sessionFactory));
        assertThat(refused).isInstanceOf(MigrationException.class);
        assertThat(((MigrationException) refused).code()).isEqualTo("RS-4508");
        assertThat(refused).hasMessageContaining("index key 'default:index' past version 2")
            .hasMessageContaining("19 of Member.email").hasMessageContaining("19 of Member.handle");

        List<Integer> midway = new ArrayList<>();
        MigrationReport report = RowMigrationTest.migration(jpa, MemberAfter.class).batchSize(6).progress(p -> {
          if (p.done() < 20) { // between batches: rows under both versions
            midway.add(BlindIndexKeys.versionOf((byte[]) jpa.raw("select email_bidx from " + jpa.table("member")
                + " where id = 20").get(0).get("email_bidx")));
            everyMemberFoundButSeven(jpa);
          }
        }).run();

        assertThat(midway).as("searched while row 20 was still under version 1").containsOnly(1).isNotEmpty();

        assertThat(report.rewritten()).isEqualTo(19);
        assertThat(report.alreadyCurrent()).isEqualTo(1);
        for (long id = 1; id <= 20; id++) {
          assertThat(tagVersions(jpa, id)).as("row %s", id).containsOnly(2);
        }
        everyMemberFoundButSeven(jpa);
        assertThat(RowsealKeys.rotateIndexKey(jpa.sessionFactory).version()).as("re-indexed: may rotate again")
            .isEqualTo(3);
        everyMemberFoundButSeven(jpa);
      } finally {
        RowMigrationTest.dropCheckpoint(jpa);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void jobReindexAll_prefixIndexAddedToAnIndexedAttribute_isFilledForEveryRow(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, MemberAfter.class)) {
      jpa.inTransaction(s -> {
        for (long id = 1; id <= 8; id++) {
          s.persist(new MemberAfter(id));
        }
      });
      // As if the prefix index came after the equality index: its columns are empty.
      jpa.rawUpdate("update " + jpa.table("member") + " set lastName_p1 = null, lastName_p2 = null");
      try {
        assertThat(membersWhere(jpa, "lastName like :v", "Sm%")).isEmpty();
        assertThat(RowMigrationTest.migration(jpa, MemberAfter.class).run().rewritten())
            .as("a NULL prefix tag may be a short value: not seen as missing").isZero();

        MigrationReport report = RowMigrationTest.migration(jpa, MemberAfter.class).reindexAll().run();

        assertThat(report.rewritten()).isEqualTo(8);
        assertThat(membersWhere(jpa, "lastName like :v", "Sm%"))
            .isEqualTo(matching(8, x -> lastName(x).startsWith("Sm")));
        assertThat(membersWhere(jpa, "lastName like :v", "Jo%"))
            .isEqualTo(matching(8, x -> lastName(x).startsWith("Jo")));
      } finally {
        RowMigrationTest.dropCheckpoint(jpa);
      }
    }
  }

  private static void everyMemberFoundButSeven(Jpa jpa) {
    for (long id = 1; id <= 20; id++) {
      assertThat(membersWhere(jpa, "email = :v", email(id).toUpperCase())).as("email of %s", id).containsExactly(id);
      assertThat(membersWhere(jpa, "handle = :v", "handle-" + id)).as("handle of %s", id).containsExactly(id);
    }
    for (String name : List.of("Smith", "Smythe", "Jones", "Johnson", "Lee")) {
      assertThat(membersWhere(jpa, "lastName = :v", name)).as(name)
          .isEqualTo(matching(20, x -> (x == 7 ? "Smith" : lastName(x)).equals(name)));
      assertThat(membersWhere(jpa, "lastName like :v", name.substring(0, 2) + "%")).as(name + " prefix")
          .isEqualTo(matching(20, x -> (x == 7 ? "Smith" : lastName(x)).startsWith(name.substring(0, 2))));
    }
  }

  /** The index-key versions of every non-null tag of row {@code id}. */
  private static List<Integer> tagVersions(Jpa jpa, long id) {
    Map<String, Object> row = jpa.raw("select * from " + jpa.table("member") + " where id = " + id).get(0);
    List<Integer> versions = new ArrayList<>();
    for (String column : List.of("email_bidx", "handle_bidx", "lastname_bidx", "lastname_p1", "lastname_p2")) {
      assertThat(row.get(column)).as(column).isNotNull();
      versions.add(BlindIndexKeys.versionOf((byte[]) row.get(column)));
    }
    return versions;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_tableWithoutIndexColumns_failsWithTheDdlThatAddsThem_andBootsOnceItRan(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("member");
      try {
        jpa.boot(Map.of("hibernate.hbm2ddl.auto", "create"), MemberBefore.class);
        Map<String, Object> asItIs = Map.of("hibernate.hbm2ddl.auto", "none");

        Throwable thrown = catchThrowable(() -> jpa.boot(asItIs, MemberAfter.class));

        EncryptedMappingException e = ColumnCheckTest.cause(thrown);
        String alter = "alter table if exists " + table;
        List<String> ddl = List.of(
            alter + " add column email_bidx " + ColumnCheckTest.binaryType(db, 1 + (BITS + 7) / 8),
            "create index ix_" + table + "_email_bidx on " + table + " (email_bidx)",
            alter + " add column handle_bidx " + ColumnCheckTest.binaryType(db, 33),
            alter + " add constraint uk_" + table + "_handle_bidx unique (handle_bidx)",
            alter + " add column lastName_bidx " + ColumnCheckTest.binaryType(db, 1 + (BITS + 7) / 8),
            "create index ix_" + table + "_lastName_bidx on " + table + " (lastName_bidx)",
            alter + " add column lastName_p1 " + ColumnCheckTest.binaryType(db, 3),
            "create index ix_" + table + "_lastName_p1 on " + table + " (lastName_p1)",
            alter + " add column lastName_p2 " + ColumnCheckTest.binaryType(db, 1 + (Math.min(BITS, 24) + 7) / 8),
            "create index ix_" + table + "_lastName_p2 on " + table + " (lastName_p2)");
        assertThat(e.code()).isEqualTo("RS-4305");
        assertThat(e).hasMessageStartingWith("RS-4305: table " + table + " has no column email_bidx for the blind "
            + "index of Member.email (" + (1 + (BITS + 7) / 8) + " bytes); add it with: " + ddl.get(0) + "; "
            + ddl.get(1) + "\n");
        assertThat(e).hasMessageContaining("RS-4305: table " + table + " has no column handle_bidx for the blind "
            + "index of Member.handle").hasMessageContaining("2-character prefix index of Member.lastName");

        jpa.boot(Map.of("hibernate.hbm2ddl.auto", "none", RowsealSettings.COLUMN_CHECK, "warn"), MemberAfter.class);
        assertThat(RowsealSchema.statements(jpa.sessionFactory)).as("RowsealSchema and SchemaCommand print the same")
            .isEqualTo(ddl);
        assertThat(RowsealSchema.apply(jpa.sessionFactory)).isEqualTo(ddl.size());

        jpa.boot(asItIs, MemberAfter.class);
        jpa.inTransaction(s -> s.persist(new MemberAfter(1)));
        assertThat(membersWhere(jpa, "email = :v", email(1))).containsExactly(1L);
        Throwable duplicate = catchThrowable(() -> jpa.inTransaction(s -> {
          MemberAfter twin = new MemberAfter(2);
          twin.handle = "handle-1";
          s.persist(twin);
        }));
        assertThat(duplicate).as("the unique key refuses a duplicate")
            .isInstanceOf(org.hibernate.exception.ConstraintViolationException.class);

        jpa.rawUpdate(db == TestDatabase.MARIADB ? "drop index ix_" + table + "_email_bidx on " + table
            : "drop index ix_" + table + "_email_bidx");
        Throwable noIndex = catchThrowable(() -> jpa.boot(asItIs, MemberAfter.class));
        assertThat(ColumnCheckTest.cause(noIndex)).hasMessage("RS-4305: column " + table + ".email_bidx of the "
            + "blind index of Member.email has no database index, so every search reads the whole table; add it "
            + "with: " + ddl.get(1));
      } finally {
        jpa.rawUpdate("drop table if exists " + table);
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
