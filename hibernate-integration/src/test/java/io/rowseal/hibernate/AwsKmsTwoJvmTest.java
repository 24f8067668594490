package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.kms.aws.KmsWireEndpoint;
import io.rowseal.testing.ForkedJvm;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances over AWS KMS (issue 16): two application JVMs on one PostgreSQL database with
 * {@code rowseal.kms=aws} against one KMS endpoint (this JVM's {@link KmsWireEndpoint} over LocalKms), each
 * writing its rows, rotating the shared branch key every {@value #ROTATE_EVERY} rows and reading the other's
 * newest rows as it goes ({@link AwsKmsWriterChild}). Then two fresh JVMs each read every row of both. No row
 * lost or different, one branch-key version per rotation, and rows under versions a JVM had not cached (made
 * by the other) read through a cache miss: a key-store read and a KMS {@code Decrypt}. About 2 minutes on
 * 2 cores, mostly the six JVMs' starts.
 */
class AwsKmsTwoJvmTest {
  private static final int ROWS_PER_JVM = 2_000;
  private static final int ROTATE_EVERY = 500;
  private static final long SECOND_JVM_FIRST_ID = 1_000_000_001L;
  private static final Pattern DONE = Pattern.compile(
      "done rows=(\\d+) rotations=(\\d+) crossReads=(\\d+) missReads=(\\d+) problems=0");
  private static final Pattern VERIFIED = Pattern.compile(
      "verified read=(\\d+) mismatched=0 branchKeyMisses=(\\d+) problems=0");
  private static final List<String> CREDENTIALS = List.of("-Daws.accessKeyId=AKIDTWOJVM", "-Daws.secretAccessKey=secret");

  @Test
  void twoJvmsOverAwsKms_writeRotateAndReadEachOther_noRowLost_foreignVersionsReadThroughCacheMisses(
      @TempDir Path dir) throws Exception {
    String suffix = "aws" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestDatabase db = TestDatabase.POSTGRESQL;
    try (HikariDataSource pool = db.dataSource();
        HikariDataSource kmsTables = TestDatabase.H2.dataSource();
        KmsWireEndpoint kms = KmsWireEndpoint.overLocalKms(kmsTables, null, 0)) {
      String key = kms.createKey();
      String endpoint = kms.uri().toString();
      try {
        // 1. The schema and the first branch-key version, from this JVM.
        withCredentials(() -> {
          try (SessionFactory app = DurableFactory.boot(AwsKmsWriterChild.settings(pool, endpoint, key, suffix, true),
              Account.class)) {
            AwsKmsWriterChild.envelope(app).activeBranchKey();
          }
        });
        long generatedBefore = kms.requests("GenerateDataKey");
        long decryptsBefore = kms.requests("Decrypt");

        // 2. Two writers at once.
        long[] firsts = {1, SECOND_JVM_FIRST_ID};
        int rotations = 0;
        long crossReads = 0;
        long missReads = 0;
        List<ForkedJvm> writers = new ArrayList<>();
        try {
          for (int i = 0; i < 2; i++) {
            writers.add(ForkedJvm.start(dir, "aws-writer-" + i, CREDENTIALS, AwsKmsWriterChild.class, "write",
                endpoint, key, db.url(), db.user(), suffix, String.valueOf(firsts[i]), String.valueOf(ROWS_PER_JVM),
                String.valueOf(ROTATE_EVERY), String.valueOf(firsts[1 - i])));
          }
          for (ForkedJvm writer : writers) {
            Matcher done = line(writer, DONE);
            rotations += Integer.parseInt(done.group(2));
            crossReads += Long.parseLong(done.group(3));
            missReads += Long.parseLong(done.group(4));
          }
        } finally {
          writers.forEach(ForkedJvm::close);
        }
        long generated = kms.requests("GenerateDataKey") - generatedBefore;
        long writeDecrypts = kms.requests("Decrypt") - decryptsBefore;

        // 3. Two fresh readers, each reading every row of both writers.
        List<Long> read = new ArrayList<>();
        List<ForkedJvm> readers = new ArrayList<>();
        try {
          for (int i = 0; i < 2; i++) {
            readers.add(ForkedJvm.start(dir, "aws-reader-" + i, CREDENTIALS, AwsKmsWriterChild.class, "verify",
                endpoint, key, db.url(), db.user(), suffix, String.valueOf(ROWS_PER_JVM), String.valueOf(firsts[0]),
                String.valueOf(firsts[1])));
          }
          for (ForkedJvm reader : readers) {
            read.add(Long.parseLong(line(reader, VERIFIED).group(1)));
          }
        } finally {
          readers.forEach(ForkedJvm::close);
        }

        TreeMap<Integer, String> versions = branchKeyVersions(pool, suffix);
        System.out.printf("two JVMs over AWS KMS wrote %d rows with %d rotations, %d cross reads (%d through a "
            + "cache miss, %d Decrypt requests); readers read %s; %d GenerateDataKey requests; versions %s%n",
            2 * ROWS_PER_JVM, rotations, crossReads, missReads, writeDecrypts, read, generated, versions);
        assertThat(read).as("rows each fresh JVM read back (none lost, none unreadable)")
            .containsExactly(2L * ROWS_PER_JVM, 2L * ROWS_PER_JVM);
        assertThat(rotations).isEqualTo(2 * (ROWS_PER_JVM / ROTATE_EVERY));
        assertThat(versions).as("one branch-key version per rotation, the newest ACTIVE").hasSize(1 + rotations);
        assertThat(versions.lastEntry().getValue()).isEqualTo("ACTIVE");
        assertThat(versions.headMap(versions.lastKey()).values()).containsOnly("DECRYPT_ONLY");
        // a rotation that loses the race for its version number to the other JVM wraps anew for the next one
        assertThat(generated).as("a GenerateDataKey per rotation, and per rotation attempt that lost a race")
            .isGreaterThanOrEqualTo(rotations);
        assertThat(crossReads).as("each read the other's rows").isPositive();
        assertThat(missReads).as("rows under a version made by the other JVM, read through a cache miss")
            .isPositive();
        assertThat(writeDecrypts).as("each such miss unwrapped the other's version through KMS").isPositive();
      } finally {
        TestDatabase.dropTablesNamedWith(pool, suffix);
      }
    }
  }

  private static Matcher line(ForkedJvm jvm, Pattern pattern) {
    List<String> out = jvm.awaitSuccess(Duration.ofMinutes(10));
    return out.stream().map(pattern::matcher).filter(Matcher::matches).findFirst()
        .orElseThrow(() -> new AssertionError(jvm + " printed no clean result line: " + out));
  }

  private static TreeMap<Integer, String> branchKeyVersions(HikariDataSource pool, String suffix) throws SQLException {
    TreeMap<Integer, String> versions = new TreeMap<>();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select key_version, status from " + DurableFactory.keyStoreTable(suffix)
            + " where key_id = 'default'")) {
      while (rs.next()) {
        versions.put(rs.getInt(1), rs.getString(2));
      }
    }
    return versions;
  }

  private static void withCredentials(Runnable action) {
    String id = System.setProperty("aws.accessKeyId", "AKIDTWOJVM");
    String secret = System.setProperty("aws.secretAccessKey", "secret");
    try {
      action.run();
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
