package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return SchemaCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void run_onAPlaintextTable_writesTheScriptAndAppliesIt(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:mem:cmd" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("create table old_customer (id bigint primary key, name varchar(255), email varchar(255), "
          + "birth date, tier varchar(20), score integer, balance decimal(10,2))");
      s.execute("insert into old_customer values (1, 'Ann', 'ann@example.org', date '1980-02-29', 'SILVER', 42, 1)");
      Path script = dir.resolve("V2__rowseal.sql");

      assertThat(run("--url", url, "--user", "sa", "--entity", OldCustomer.class.getName(), "--out",
          script.toString())).isZero();
      assertThat(Files.readString(script)).contains("alter table", "email", "rowseal_sig");
      assertThat(columnType(s, "EMAIL")).isEqualTo("CHARACTER VARYING");

      assertThat(run("--url", url, "--user", "sa", "--entity", OldCustomer.class.getName(), "--apply")).isZero();
      long statements = Files.readAllLines(script).stream().filter(l -> l.endsWith(";")).count();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("applied " + statements + " statement(s)");
      assertThat(columnType(s, "EMAIL")).isEqualTo("BINARY VARYING");
      assertThat(columnType(s, "ROWSEAL_SIG")).isEqualTo("BINARY VARYING");
      try (ResultSet rs = s.executeQuery("select email from old_customer")) {
        rs.next();
        assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8)).isEqualTo("ann@example.org");
      }
    }
  }

  @Test
  void run_withoutEntities_failsWithUsage() throws Exception {
    assertThat(run("--url", "jdbc:h2:mem:x")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--entity", "usage");
  }

  private static String columnType(Statement s, String column) throws Exception {
    try (ResultSet rs = s.executeQuery("select data_type from information_schema.columns where "
        + "table_name = 'OLD_CUSTOMER' and column_name = '" + column + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
