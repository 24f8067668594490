package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** At start-up, a column too narrow for its encrypted values stops the boot with the DDL that fixes it. */
class ColumnCheckTest {
  static final Map<String, Object> NO_SCHEMA_EXPORT = Map.of("hibernate.hbm2ddl.auto", "none");

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_textColumnTooNarrow_failsWithTheDdlThatWidensIt(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("text_sample");
      jpa.rawUpdate("create table " + table + " (id bigint not null primary key, secret varchar(20), "
          + footer(db) + ")");
      int width = Envelope.textLength(1 + 3 * 50, "default");

      Throwable thrown = catchThrowable(() -> jpa.boot(NO_SCHEMA_EXPORT, TextSample.class));

      EncryptedMappingException e = cause(thrown);
      String ddl = expectedDdl(db, table, "secret", "varchar(" + width + ")");
      assertThat(e.code()).isEqualTo("RS-4301");
      assertThat(e).hasMessageContaining("column " + table + ".secret of TextSample.secret")
          .hasMessageContaining("need " + width + " characters")
          .hasMessageEndingWith("widen it with: " + ddl);

      jpa.rawUpdate(ddl);
      jpa.boot(NO_SCHEMA_EXPORT, TextSample.class);
      jpa.inTransaction(s -> s.persist(new TextSample(1, "x".repeat(50))));
      String secret = jpa.fromTransaction(s -> s.find(TextSample.class, 1L).secret);
      assertThat(secret).isEqualTo("x".repeat(50));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_binaryColumnTooNarrowOrOfTheWrongKind_failsNamingEveryColumn(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("account");
      String binary = db == TestDatabase.POSTGRESQL ? "bytea" : "varbinary(40)";
      jpa.rawUpdate("create table " + table + " (id bigint not null primary key, owner varchar(255), "
          + "email varchar(255), birth " + binary + ", balance " + binary + ", " + footer(db) + ")");

      Throwable thrown = catchThrowable(() -> jpa.boot(NO_SCHEMA_EXPORT, Account.class));

      EncryptedMappingException e = cause(thrown);
      assertThat(e).hasMessageContaining("RS-4302: column " + table + ".email of Account.email is ")
          .hasMessageContaining("(255), which cannot hold rowseal's binary values");
      if (db == TestDatabase.POSTGRESQL) {
        assertThat(e.getMessage()).doesNotContain("Account.birth");
      } else {
        int width = Envelope.binaryLength(9, "default");
        assertThat(e).hasMessageContaining("RS-4301: column " + table + ".birth of Account.birth")
            .hasMessageContaining(expectedDdl(db, table, "birth", "varbinary(" + width + ")"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_columnCheckWarn_startsDespiteANarrowColumn(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      jpa.rawUpdate("create table " + jpa.table("text_sample")
          + " (id bigint not null primary key, secret varchar(20))");

      jpa.boot(Map.of("hibernate.hbm2ddl.auto", "none", RowsealSettings.COLUMN_CHECK, "warn"),
          TextSample.class);

      assertThat(jpa.sessionFactory.isOpen()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_tableWithoutFooterColumn_failsWithTheDdlThatAddsIt(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("text_sample");
      jpa.rawUpdate("create table " + table + " (id bigint not null primary key, secret varchar(400))");
      int width = Envelope.footerLength("default");

      Throwable thrown = catchThrowable(() -> jpa.boot(NO_SCHEMA_EXPORT, TextSample.class));

      EncryptedMappingException e = cause(thrown);
      String ddl = "alter table if exists " + table + " add column rowseal_sig " + binaryType(db, width);
      assertThat(e.code()).isEqualTo("RS-4303");
      assertThat(e).hasMessage("RS-4303: table " + table + " has no column rowseal_sig for the row signature of "
          + "TextSample (" + width + " bytes); add it with: " + ddl);

      jpa.rawUpdate(ddl);
      jpa.boot(NO_SCHEMA_EXPORT, TextSample.class);
      jpa.inTransaction(s -> s.persist(new TextSample(1, "x")));
      assertThat(jpa.fromTransaction(s -> s.find(TextSample.class, 1L)).secret).isEqualTo("x");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void boot_textColumnHoldingRows_failsWithDdlThatConvertsItOnThisDatabase(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("account");
      String binary = binaryType(db, 1000);
      jpa.rawUpdate("create table " + table + " (id bigint not null primary key, owner varchar(255), "
          + "email varchar(255), birth " + binary + ", balance " + binary + ", " + footer(db) + ")");
      jpa.rawUpdate("insert into " + table + " (id, owner, email) values (1, 'owner-1', 'user1@example.org')");
      int width = Envelope.binaryLength(1 + 3 * 255, "default");

      Throwable thrown = catchThrowable(() -> jpa.boot(NO_SCHEMA_EXPORT, Account.class));

      EncryptedMappingException e = cause(thrown);
      String ddl = switch (db) {
        // PostgreSQL refuses varchar to bytea without USING, even on an empty table.
        case POSTGRESQL -> "alter table if exists " + table + " alter column email set data type bytea"
            + " using convert_to(email::text, 'UTF8')";
        default -> expectedDdl(db, table, "email", "varbinary(" + width + ")");
      };
      assertThat(e.code()).isEqualTo("RS-4302");
      assertThat(e).hasMessageEndingWith("change it with: " + ddl);

      jpa.rawUpdate(ddl);
      jpa.boot(NO_SCHEMA_EXPORT, Account.class);
      byte[] kept = (byte[]) jpa.raw("select email from " + table + " where id = 1").get(0).get("email");
      assertThat(new String(kept, java.nio.charset.StandardCharsets.UTF_8))
          .as("the type change keeps the plaintext as UTF-8 bytes, for a migration to encrypt")
          .isEqualTo("user1@example.org");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"H2", "MARIADB"}) // PostgreSQL's bytea has no width
  void boot_footerColumnTooNarrow_failsWithTheDdlThatWidensIt(TestDatabase db) {
    try (Jpa jpa = Jpa.prepare(db)) {
      String table = jpa.table("text_sample");
      jpa.rawUpdate("create table " + table + " (id bigint not null primary key, secret varchar(400), "
          + "rowseal_sig varbinary(40))");
      int width = Envelope.footerLength("default");

      Throwable thrown = catchThrowable(() -> jpa.boot(NO_SCHEMA_EXPORT, TextSample.class));

      EncryptedMappingException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4301");
      assertThat(e).hasMessageContaining("column " + table + ".rowseal_sig of the row signature of TextSample")
          .hasMessageContaining("row signatures need " + width + " bytes")
          .hasMessageEndingWith(expectedDdl(db, table, "rowseal_sig", "varbinary(" + width + ")"));
    }
  }

  /** The footer column as schema generation makes it. */
  static String footer(TestDatabase db) {
    return "rowseal_sig " + binaryType(db, Envelope.footerLength("default"));
  }

  static String binaryType(TestDatabase db, int width) {
    return db == TestDatabase.POSTGRESQL ? "bytea" : "varbinary(" + width + ")";
  }

  /** What each database's Hibernate dialect writes to change a nullable column's type. */
  static String expectedDdl(TestDatabase db, String table, String column, String type) {
    return switch (db) {
      case H2 -> "alter table if exists " + table + " alter column " + column + " set data type " + type;
      case POSTGRESQL -> "alter table if exists " + table + " alter column " + column + " set data type "
          + type;
      case MARIADB -> "alter table if exists " + table + " modify column " + column + " " + type;
    };
  }

  static EncryptedMappingException cause(Throwable thrown) {
    return Causes.find(thrown, EncryptedMappingException.class);
  }
}
