package io.rowseal.kms.local;

import static io.rowseal.kms.local.LocalKmsDurabilityTest.count;
import static io.rowseal.kms.local.LocalKmsDurabilityTest.ektGenerations;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.testing.ForkedJvm;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two JVMs ({@link LocalKmsChild}) on one set of LocalKms tables and one keystore file, as an application
 * and its migration job: started at the same moment on fresh tables, rotating while the other works, and
 * killed in the middle of a domain-key rotation. Every key either made unwraps in the other, in a later
 * start too; there is one domain, and one domain key in use once a rotation is done.
 */
class LocalKmsSharedTablesForkedTest {
  private static final Duration STEP = Duration.ofMinutes(2);

  /** A key one child made, as it printed it. */
  private record Made(String cmkId, String blob, String key) {}

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @DisplayName("two JVMs starting at once on fresh tables: one domain, and each unwraps what the other made")
  void twoJvmsStartAtOnce_freshTables_oneDomainEachServesTheOther(TestDatabase db, @TempDir Path dir) {
    try (Shared s = new Shared(db, dir); ForkedJvm a = s.child("a"); ForkedJvm b = s.child("b")) {
      s.await(a, "waiting");
      s.await(b, "waiting");
      a.send("go");
      b.send("go");
      assertThat(s.await(a, "started")).isEqualTo("started 1");
      assertThat(s.await(b, "started")).isEqualTo("started 1");
      assertThat(count(s.ds, s.prefix + "hsm")).isEqualTo(LocalKmsBuilder.DEFAULT_HSM_COUNT);
      assertThat(LocalKmsDurabilityTest.longs(s.ds, "SELECT generation FROM " + s.prefix + "domain_token"))
          .containsExactly(1L);

      List<Made> made = List.of(s.make(a, s.create(a)), s.make(b, s.create(b)));
      s.assertUnwraps(a, made);
      s.assertUnwraps(b, made);
      s.exit(a);
      s.exit(b);
      s.assertRestartUnwraps(made);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @DisplayName("invariant 6: one JVM rotates the domain key and the CMK while the other wraps and unwraps: it follows on a miss, and nothing is lost")
  void oneJvmRotates_otherKeepsWorkingAndFollows_nothingLost(TestDatabase db, @TempDir Path dir) {
    try (Shared s = new Shared(db, dir); ForkedJvm a = s.child("a"); ForkedJvm b = s.child("b")) {
      s.start(a);
      s.start(b);
      String id = s.create(a);
      List<Made> made = new ArrayList<>(List.of(s.make(b, id)));

      assertThat(s.ask(a, "rotate-domain", "rotated-domain")).isEqualTo("rotated-domain 2");
      made.add(s.make(b, id));
      s.assertUnwraps(b, made);
      assertThat(s.ask(a, "rotate-key " + id, "rotated-key")).isEqualTo("rotated-key 2");
      made.add(s.make(a, id));
      s.assertUnwraps(b, made);
      assertThat(s.ask(b, "rotate-key " + id, "rotated-key")).isEqualTo("rotated-key 3");
      assertThat(s.ask(b, "rotate-domain", "rotated-domain")).isEqualTo("rotated-domain 3");
      String second = s.create(a);
      made.add(s.make(a, second));
      made.add(s.make(b, id));
      s.assertUnwraps(a, made);
      s.assertUnwraps(b, made);

      assertThat(LocalKmsDurabilityTest.longs(s.ds, "SELECT generation FROM " + s.prefix + "domain_token"))
          .containsExactly(3L);
      assertThat(ektGenerations(s.ds, s.prefix)).hasSize(4).containsOnly(3L);
      s.exit(a);
      s.exit(b);
      s.assertRestartUnwraps(made);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @DisplayName("invariant 6: a JVM killed in the middle of a domain-key rotation: the other, still running, finishes it")
  void jvmKilledMidRotation_otherFinishesIt(TestDatabase db, @TempDir Path dir) {
    try (Shared s = new Shared(db, dir); ForkedJvm a = s.child("a"); ForkedJvm b = s.child("b")) {
      s.start(a);
      s.start(b);
      String id = s.create(a);
      s.ask(a, "rotate-key " + id, "rotated-key");
      List<Made> made = new ArrayList<>(List.of(s.make(a, id), s.make(b, s.create(b))));

      a.send("rotate-domain-and-die");
      s.await(a, "resealed");
      assertThat(a.awaitExit(STEP)).isEqualTo(137);
      assertThat(LocalKmsDurabilityTest.longs(s.ds, "SELECT generation FROM " + s.prefix + "domain_token"))
          .containsExactly(1L, 2L);
      assertThat(ektGenerations(s.ds, s.prefix)).contains(1L, 2L);

      made.add(s.make(b, id));
      s.assertUnwraps(b, made);
      assertThat(s.ask(b, "maintain", "maintained")).isEqualTo("maintained 2");
      assertThat(LocalKmsDurabilityTest.longs(s.ds, "SELECT generation FROM " + s.prefix + "domain_token"))
          .containsExactly(2L);
      assertThat(ektGenerations(s.ds, s.prefix)).hasSize(3).containsOnly(2L);
      made.add(s.make(b, id));
      s.assertUnwraps(b, made);
      s.exit(b);
      s.assertRestartUnwraps(made);
    }
  }

  /** The tables, keystore file and database the children share; close drops the tables. */
  private static final class Shared implements AutoCloseable {
    final TestDatabase db;
    final Path dir;
    final HikariDataSource ds;
    final String prefix = LocalKmsTesting.uniquePrefix();
    final Path keystore;

    Shared(TestDatabase db, Path dir) {
      this.db = db;
      this.dir = dir;
      this.ds = db.dataSource();
      this.keystore = dir.resolve("localkms.p12");
    }

    ForkedJvm child(String name) {
      return ForkedJvm.start(dir, name, LocalKmsChild.class, db.url(), db.user(), db.password(), prefix,
          keystore.toString());
    }

    void start(ForkedJvm child) {
      await(child, "waiting");
      assertThat(ask(child, "go", "started")).startsWith("started ");
    }

    String create(ForkedJvm child) {
      return ask(child, "create", "created").split(" ")[1];
    }

    Made make(ForkedJvm child, String cmkId) {
      String[] g = ask(child, "generate " + cmkId, "generated").split(" ");
      return new Made(cmkId, g[2], g[3]);
    }

    void assertUnwraps(ForkedJvm child, List<Made> made) {
      List<String> failures = new ArrayList<>();
      for (Made m : made) {
        String answer = ask(child, "unwrap " + m.cmkId() + " " + m.blob(), "unwrapped");
        if (!answer.equals("unwrapped " + m.key())) {
          failures.add(child + " " + m.cmkId() + ": " + answer);
        }
      }
      assertThat(failures).isEmpty();
    }

    /** A third start, in this JVM, on the tables and keystore the children left. */
    void assertRestartUnwraps(List<Made> made) {
      LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(keystore)
          .passphrase(LocalKmsTesting.PASSPHRASE).tablePrefix(prefix);
      b.maintenanceInterval = null;
      HexFormat hex = HexFormat.of();
      List<String> failures = new ArrayList<>();
      try (LocalKms kms = b.build()) {
        for (Made m : made) {
          try {
            KeyMaterial key = kms.unwrap(m.cmkId(), hex.parseHex(m.blob()), LocalKmsChild.CONTEXT);
            if (!hex.formatHex(key.copyBytes()).equals(m.key())) {
              failures.add(m.cmkId() + ": different key");
            }
          } catch (io.rowseal.IntegrityException | RuntimeException e) {
            failures.add(m.cmkId() + ": " + e);
          }
        }
      }
      assertThat(failures).isEmpty();
    }

    void exit(ForkedJvm child) {
      child.send("exit");
      child.awaitSuccess(STEP);
    }

    /** Sends {@code command} and returns the answer, which must start with {@code expected}. */
    String ask(ForkedJvm child, String command, String expected) {
      child.send(command);
      return await(child, expected);
    }

    /** The next line that starts with {@code expected}, or with {@code error} (then a failure). */
    String await(ForkedJvm child, String expected) {
      List<String> lines = child.linesUntil(l -> l.startsWith(expected) || l.startsWith("error"), STEP);
      String last = lines.get(lines.size() - 1);
      assertThat(last).as("%s answering with %s", child, expected).startsWith(expected);
      return last;
    }

    @Override
    public void close() {
      try {
        TestDatabase.dropTablesNamedWith(ds, prefix.toLowerCase(Locale.ROOT));
      } catch (java.sql.SQLException e) {
        throw new AssertionError(e);
      } finally {
        ds.close();
      }
    }
  }
}
