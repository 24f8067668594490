package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: a legacy table on H2 migrated with progress and a report; usage errors; the printer. */
class MigrationCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return MigrationCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** An H2 database holding old_customer as a legacy application left it, widened for rowseal. */
  private static String legacyDatabase(String... scores) throws Exception {
    String url = "jdbc:h2:mem:cmd" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("create table old_customer (id bigint primary key, name varchar(255), "
          + "email varbinary(900), birth varbinary(100), tier varbinary(300), score varbinary(100), "
          + "balance varbinary(100), rowseal_sig varbinary(100))");
      try (PreparedStatement ps = c.prepareStatement("insert into old_customer (id, name, email, score) values (?, ?, ?, ?)")) {
        for (int i = 0; i < scores.length; i++) {
          ps.setLong(1, i + 1);
          ps.setString(2, "name");
          ps.setBytes(3, ("user" + (i + 1) + "@example.org").getBytes(StandardCharsets.UTF_8));
          ps.setBytes(4, scores[i].getBytes(StandardCharsets.UTF_8));
          ps.executeUpdate();
        }
      }
    }
    return url;
  }

  private static Path config(Path dir) throws Exception {
    return Files.writeString(dir.resolve("rowseal.properties"), "rowseal.kms=in-memory\n"
        + "rowseal.column-check=off\nrowseal.transition.read-plaintext=true\n");
  }

  @Test
  void run_legacyTable_migratesItPrintingProgressLinesAndTheReport(@TempDir Path dir) throws Exception {
    String url = legacyDatabase("1", "2", "3", "4", "5", "6", "7");

    int status = run("--url", url, "--user", "sa", "--config", config(dir).toString(), "--batch-size", "3",
        OldCustomer.class.getName());

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out()).contains("OldCustomer:  42.9% 3/7 rows, 3 rewritten, 0 skipped, 0 failed")
        .contains("OldCustomer: 100.0% 7/7 rows, 7 rewritten")
        .contains("OldCustomer: 7 rows examined, 7 rewritten, 0 skipped (0 already current, 0 changed "
            + "concurrently), 0 could not be read")
        .doesNotContain("\r");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("select count(*) from old_customer where rowseal_sig is null")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void run_rotateBranchKey_rotatesFirstThenMovesEveryRowToTheNewVersion(@TempDir Path dir) throws Exception {
    String url = legacyDatabase("1", "2", "3");
    // A durable LocalKms, so that the second run unwraps what the first one made.
    Path config = Files.writeString(dir.resolve("rowseal.properties"), "rowseal.column-check=off\n"
        + "rowseal.transition.read-plaintext=true\nrowseal.kms.local.keystore=" + dir.resolve("kms.p12") + "\n"
        + "rowseal.kms.local.passphrase=correct horse battery staple\n");
    assertThat(run("--url", url, "--user", "sa", "--config", config.toString(), OldCustomer.class.getName())).isZero();

    int status = run("--url", url, "--user", "sa", "--config", config.toString(), "--rotate-branch-key", "default",
        OldCustomer.class.getName());

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out()).contains("rotated branch key default: new rows now go under default#2")
        .contains("OldCustomer: 3 rows examined, 3 rewritten");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("select email from old_customer")) {
      while (rs.next()) {
        assertThat(io.rowseal.envelope.Envelope.branchKeyOf(rs.getBytes(1))).hasToString("default#2");
      }
    }
  }

  @Test
  void run_rotateIndexKey_rotatesThenReindexesEveryRow_andRefusesWhileRowsAreUnderAnOlderVersion(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:h2:mem:cmd" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    Path config = Files.writeString(dir.resolve("rowseal.properties"), "rowseal.kms.local.keystore="
        + dir.resolve("kms.p12") + "\nrowseal.kms.local.passphrase=correct horse battery staple\n");
    org.hibernate.cfg.Configuration app = new org.hibernate.cfg.Configuration()
        .addAnnotatedClass(SearchMigrationTest.MemberAfter.class);
    app.getProperties().load(Files.newBufferedReader(config));
    app.getProperties().put("hibernate.connection.url", url);
    app.getProperties().put("hibernate.connection.username", "sa");
    app.getProperties().put("hibernate.hbm2ddl.auto", "create");
    try (org.hibernate.SessionFactory factory = app.buildSessionFactory()) {
      factory.inTransaction(s -> {
        for (long id = 1; id <= 4; id++) {
          s.persist(new SearchMigrationTest.MemberAfter(id));
        }
      });
      RowsealKeys.rotateIndexKey(factory); // version 2, rows still under 1
    }
    String member = SearchMigrationTest.MemberAfter.class.getName();

    int refused = run("--url", url, "--user", "sa", "--config", config.toString(), "--rotate-index-key", "default",
        member);

    assertThat(refused).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("RS-4508: cannot rotate index key 'default:index' "
        + "past version 2");
    assertThat(run("--url", url, "--user", "sa", "--config", config.toString(), member)).isZero();
    int status = run("--url", url, "--user", "sa", "--config", config.toString(), "--rotate-index-key", "default",
        member);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out()).contains("rotated the index key of default: new rows are now indexed under default:index#3")
        .contains("Member: 4 rows examined, 4 rewritten");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("select email_bidx, lastName_p2 from member")) {
      while (rs.next()) {
        assertThat(rs.getBytes(1)[0]).isEqualTo((byte) 3);
        assertThat(rs.getBytes(2)[0]).isEqualTo((byte) 3);
      }
    }
  }

  @Test
  void run_rowsThatCannotBeRead_areListedWithExitStatus2(@TempDir Path dir) throws Exception {
    String url = legacyDatabase("1", "forty-two", "3");

    int status = run("--url", url, "--user", "sa", "--config", config(dir).toString(), OldCustomer.class.getName());

    assertThat(status).isEqualTo(2);
    assertThat(out()).contains("OldCustomer: RS-4504: rows that could not be read (ids): 2")
        .doesNotContain("forty-two");
  }

  @Test
  void run_badArguments_printUsageWithRs4506() {
    assertThat(run("--url", "jdbc:h2:mem:x", "--reencrypt", "older", OldCustomer.class.getName())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("RS-4506: --reencrypt must be active, none, "
        + "below:<version> or cmk:<id>, was older").contains("usage: MigrationCommand");
    assertThat(run("--url", "jdbc:h2:mem:x", "com.acme.Missing")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("entity class com.acme.Missing is not on the class path");
  }

  @Test
  void progressPrinter_onATerminal_redrawsOneBarInPlace() {
    ProgressPrinter printer = new ProgressPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), true,
        "Customer", Duration.ofSeconds(10), () -> 0);

    printer.onProgress(new MigrationProgress(50, 200, 40, 10, 0, 1234.4, Duration.ofSeconds(3725)));
    printer.finish();

    assertThat(out()).isEqualTo("\rCustomer [########----------------------]  25.0% 50/200 rows, 40 rewritten, "
        + "10 skipped, 0 failed, 1,234 rows/s, ETA 1:02:05" + System.lineSeparator());
  }

  @Test
  void progressPrinter_notATerminal_printsALineAtMostEveryIntervalAndTheLast() {
    AtomicLong now = new AtomicLong();
    ProgressPrinter printer = new ProgressPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false,
        "Customer", Duration.ofSeconds(10), now::get);

    for (long done = 10; done <= 100; done += 10) {
      now.addAndGet(Duration.ofSeconds(3).toNanos());
      printer.onProgress(new MigrationProgress(done, 100, done, 0, 0, 3.3, Duration.ofSeconds(1)));
    }

    assertThat(out().lines()).extracting(l -> l.substring(0, l.indexOf('%') + 1))
        .containsExactly("Customer:  10.0%", "Customer:  50.0%", "Customer:  90.0%", "Customer: 100.0%");
  }
}
