package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.ForkedJvm;
import io.rowseal.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two application JVMs on one PostgreSQL database and one set of key tables, each inserting and updating
 * its own rows, rotating the shared branch key every 2,000 rows and reading the other's newest rows as it
 * goes ({@link ConcurrentWriterChild}): every row written under a version the other JVM made, and every
 * version made while the other was writing. Afterwards, from a third start: no row lost, none unreadable,
 * none different from its last write, and one branch-key version per rotation, none lost or doubled.
 * Only branch keys rotate here: LocalKms's own state (CMK, domain key) is made before the JVMs start, so
 * what is measured is the branch-key store; LocalKms's own rotations beside a working JVM are
 * {@code LocalKmsSharedTablesForkedTest}'s (docs/KEY-HIERARCHY.md, "Several processes on one set of tables").
 *
 * <p>Rows: {@value #CI_ROWS} in all by default, in CI too (issue 15 asks for at least 100,000; about 60 to 100 s
 * on 2 cores); more with {@code -Drowseal.faults.rows=1000000}.
 */
class TwoJvmRotationTest {
  static final int CI_ROWS = 100_000;
  private static final int ROTATE_EVERY = 2_000;
  private static final long SECOND_JVM_FIRST_ID = 1_000_000_001L;
  private static final Pattern DONE = Pattern.compile("done rows=(\\d+) rotations=(\\d+) crossReads=(\\d+) problems=0");

  @Test
  @DisplayName("invariant 6: two JVMs writing and rotating the branch key at once on PostgreSQL: 0 lost, 0 unreadable, 0 mismatched")
  void twoJvms_writeAndRotateConcurrently_everyRowReadsBackAsLastWritten(@TempDir Path dir) throws Exception {
    int rows = Integer.getInteger("rowseal.faults.rows", CI_ROWS);
    int perJvm = rows / 2;
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Path keystore = dir.resolve("localkms.p12");
    TestDatabase db = TestDatabase.POSTGRESQL;
    try (HikariDataSource pool = db.dataSource()) {
      try {
        try (DurableFactory app = DurableFactory.open(pool, suffix, keystore, true, Account.class)) {
          app.envelope().activeBranchKey();
        }
        long start = System.nanoTime();
        long[] firsts = {1, SECOND_JVM_FIRST_ID};
        List<ForkedJvm> jvms = new ArrayList<>();
        int rotations = 0;
        long crossReads = 0;
        try {
          for (int i = 0; i < 2; i++) {
            jvms.add(ForkedJvm.start(dir, "writer-" + i, ConcurrentWriterChild.class, db.url(), db.user(), suffix,
                keystore.toString(), String.valueOf(firsts[i]), String.valueOf(perJvm), String.valueOf(ROTATE_EVERY),
                String.valueOf(firsts[1 - i]), dir.resolve("updated-" + i + ".txt").toString()));
          }
          for (ForkedJvm jvm : jvms) {
            List<String> out = jvm.awaitSuccess(Duration.ofMinutes(15));
            Matcher done = out.stream().map(DONE::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError(jvm + " printed no clean 'done' line: " + out));
            rotations += Integer.parseInt(done.group(2));
            crossReads += Long.parseLong(done.group(3));
          }
        } finally {
          jvms.forEach(ForkedJvm::close);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        Set<Long> updated = new HashSet<>();
        for (int i = 0; i < 2; i++) {
          updated.addAll(readIds(dir.resolve("updated-" + i + ".txt")));
        }
        List<String> unreadable = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        long read = 0;
        try (DurableFactory app = DurableFactory.open(pool, suffix, keystore, false, Account.class)) {
          for (long first : firsts) {
            for (long lo = first; lo < first + perJvm; lo += 5_000) {
              Map<Long, Account> page = page(app, lo, Math.min(lo + 5_000, first + perJvm), unreadable);
              read += page.size();
              page.forEach((id, a) -> {
                Account expected = updated.contains(id) ? ConcurrentWriterChild.updated(id) : new Account(id);
                if (!a.equals(expected)) {
                  mismatched.add("row " + id);
                }
              });
            }
          }
          KeyState keys = KeyState.read(pool, suffix);
          System.out.printf("two JVMs wrote %d rows (%d updates) with %d branch-key rotations and %d cross reads in"
              + " %d ms; read back %d, %d unreadable, %d mismatched%n", rows, updated.size(), rotations, crossReads,
              millis, read, unreadable.size(), mismatched.size());
          assertThat(unreadable).as("unreadable").isEmpty();
          assertThat(mismatched).as("mismatched").isEmpty();
          assertThat(read).as("rows read back (none lost)").isEqualTo(2L * perJvm);
          assertThat(keys.branchKeyVersions()).as("one version per rotation").isEqualTo(1 + rotations);
          assertThat(rotations).isEqualTo(2 * (perJvm / ROTATE_EVERY));
          assertThat(crossReads).as("each read the other's rows").isPositive();
        }
      } finally {
        TestDatabase.dropTablesNamedWith(pool, suffix);
      }
    }
  }

  /** Rows {@code lo} to {@code hi - 1} by id, read in one query, or one by one if that fails. */
  private static Map<Long, Account> page(DurableFactory app, long lo, long hi, List<String> unreadable) {
    Map<Long, Account> rows = new TreeMap<>();
    try {
      app.factory().fromTransaction(s -> s.createQuery("from Account where id >= :lo and id < :hi", Account.class)
          .setParameter("lo", lo).setParameter("hi", hi).getResultList()).forEach(a -> rows.put(a.id, a));
    } catch (RuntimeException pageFailed) {
      for (long id = lo; id < hi; id++) {
        long one = id;
        try {
          Account a = app.factory().fromTransaction(s -> s.find(Account.class, one));
          if (a != null) {
            rows.put(one, a);
          }
        } catch (RuntimeException e) {
          unreadable.add("row " + one + ": " + e.getMessage());
        }
      }
    }
    return rows;
  }

  private static List<Long> readIds(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(Long::valueOf).toList();
  }
}
