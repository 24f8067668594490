package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.h2.mvstore.MVStoreTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged demo in library mode, run as a user runs it, each run in a JVM of its own; its claims
 * are then checked on what it left behind: raw rows, the database file, and decryption by the test's
 * own envelope.
 */
class LibraryModeIT {

  @TempDir
  Path temp;

  @Test
  void runAll_twice_storesNoPlaintextAndTheSecondRunReadsTheFirstRunsRows() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("work"));

    JarRun first = JarRun.library(dir);

    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.unexpectedErrorLines()).as("stderr beyond the dev-keystore warning and audit").isEmpty();
    // each of the tamper step's three detections is an audit event an alert can watch (docs/HIBERNATE.md)
    assertThat(first.auditLines()).hasSize(3);
    assertThat(first.auditLines().get(0)).contains("event=integrity-failure", "code=RS-4201", "entity=Customer",
        "attribute=ssn", "rowId=2");
    assertThat(first.auditLines().get(1)).contains("code=RS-4201", "attribute=notes", "rowId=1");
    assertThat(first.auditLines().get(2)).contains("code=RS-4204", "entity=Customer", "rowId=1");
    assertThat(first.out())
        .contains("created a new database in ./demo-data and wrote 5 customers")
        .contains("[ok] no plaintext: none of the 30 stored values contains its plaintext")
        .contains("[ok] all 5 customers read back, under default v1, default v2")
        .contains("[ok] original bytes restored: all 5 customers read back")
        .doesNotContain("[FAILED]");
    assertThat(first.out().split("DETECTED\n", -1)).as("detected tamperings").hasSize(4);
    assertThat(first.out()).contains("RS-4201: cannot read Customer.ssn of Customer id 2")
        .contains("RS-4201: cannot read Customer.notes of Customer id 1")
        .contains("RS-4204: cannot read Customer id 1: its row signature does not verify")
        .doesNotContain("NOT DETECTED");
    try (StoredData data = new StoredData(dir)) {
      assertNoPlaintext(data.rows());
      assertOneRowKeyPerRow(data.rows());
      assertThat(data.branchKeyVersions()).isEqualTo(Map.of(1, "DECRYPT_ONLY", 2, "ACTIVE"));
      assertThat(versionsInRows(data.rows())).containsExactly(1L, 2L);
      assertDecryptsToTheSamples(data.decrypted());
    }
    assertNoPlaintextInFiles(dir.resolve("demo-data"));

    JarRun second = JarRun.library(dir, "run-all");

    assertThat(second.status()).as(second.toString()).isZero();
    assertThat(second.unexpectedErrorLines()).isEmpty();
    assertThat(second.out())
        .contains("reopened 5 customers written earlier")
        .contains("[ok] all 5 customers read back, under default v1, default v2, default v3")
        .doesNotContain("created a new database");
    try (StoredData data = new StoredData(dir)) {
      assertThat(data.branchKeyVersions())
          .isEqualTo(Map.of(1, "DECRYPT_ONLY", 2, "DECRYPT_ONLY", 3, "ACTIVE"));
      assertThat(versionsInRows(data.rows())).containsExactly(1L, 2L, 3L);
      assertDecryptsToTheSamples(data.decrypted());
    }
  }

  @Test
  void subcommands_eachRunOnItsOwn_andAMissingKeystoreFailsWithOneLine() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("work"));

    JarRun show = JarRun.library(dir, "show");
    JarRun rotate = JarRun.library(dir, "rotate");
    JarRun cost = JarRun.library(dir, "cost");
    JarRun tamper = JarRun.library(dir, "tamper");

    for (JarRun run : List.of(show, rotate, cost, tamper)) {
      assertThat(run.status()).as(run.toString()).isZero();
      assertThat(run.unexpectedErrorLines()).as(run.toString()).isEmpty();
    }
    assertThat(show.out()).contains("wrote 5 customers").contains("[ok] no plaintext");
    assertThat(rotate.out()).contains("reopened 5 customers").contains("rotated: v2 is ACTIVE, v1 DECRYPT_ONLY");
    assertThat(cost.out()).contains("KMS requests").contains("$778.54").contains("$2.24")
        .containsPattern("aws +\\$2\\.24").containsPattern("local +\\$0\\.00").containsPattern("pkcs11 +\\$0\\.00");
    assertThat(tamper.out()).contains("RS-4201").contains("[ok] original bytes restored");

    // The keys are never made anew over existing data: without its keystore the demo stops.
    Files.delete(dir.resolve(".rowseal/localkms.p12"));
    JarRun failed = JarRun.library(dir, "show");

    assertThat(failed.status()).as(failed.toString()).isEqualTo(1);
    assertThat(failed.unexpectedErrorLines()).as(failed.toString()).hasSize(1)
        .allSatisfy(line -> assertThat(line).startsWith("rowseal-demo: RS-2010: "));

    JarRun reset = JarRun.library(dir, "reset");

    assertThat(reset.status()).as(reset.toString()).isZero();
    assertThat(dir.resolve("demo-data")).doesNotExist();
  }

  @Test
  void migrate_legacyPlaintextTable_isEncryptedByTheJobWithItsProgressAndLeavesNoPlaintextOnDisk()
      throws Exception {
    Path dir = Files.createDirectory(temp.resolve("migrate"));

    JarRun migrate = JarRun.library(dir, "migrate");

    assertThat(migrate.status()).as(migrate.toString()).isZero();
    assertThat(migrate.out())
        .contains("raw email column of the first row: 'customer0@example.org' (plaintext)")
        .contains("add column rowseal_sig")
        .contains("customer 1 reads back: customer0@example.org (from legacy plaintext)")
        .contains("legacy plaintext               3000 rows")
        .contains("[####################]  3000/3000 rows")
        .contains("3000 examined, 3000 rewritten, 0 already current, 0 changed concurrently, 0 failed")
        .contains("default#1                      3000 rows")
        .contains("[ok] all 3000 customers read back with transition reads off")
        .contains("SHUTDOWN COMPACT done");
    // SHUTDOWN COMPACT writes the file LZF-compressed, where a repeated byte run is stored once: in that file
    // even the plaintext column's "Customer 0" cannot be found. Rewritten without compression (the live pages
    // only, as the compacted file holds), every stored string is there to search.
    Path data = dir.resolve("demo-data/legacy/customers.mv.db");
    MVStoreTool.compact(data.toString(), false);
    byte[] file = Files.readAllBytes(data);
    for (String plaintext : List.of("customer0@example.org", "customer2999@example.org", "legacy note 1234",
        "4000 0000 0000 0042", "Main Street")) {
      assertThat(ShowRows.contains(file, plaintext.getBytes(StandardCharsets.UTF_8))).as(plaintext).isFalse();
    }
    for (String name : List.of("Customer 0", "Customer 1234", "Customer 2999")) {
      assertThat(ShowRows.contains(file, name.getBytes(StandardCharsets.UTF_8)))
          .as("the plaintext column 'name' of every row is in the file, so the search sees each row's text: " + name)
          .isTrue();
    }
  }

  private static void assertNoPlaintext(List<RawRows.Row> rows) {
    assertThat(rows).hasSize(SampleCustomers.FIRST_RUN.size());
    List<String> leaks = new ArrayList<>();
    for (RawRows.Row row : rows) {
      for (EncryptedColumn c : EncryptedColumn.values()) {
        byte[] stored = row.stored(c);
        assertThat(stored).as(c + " of row " + row.id()).isNotNull();
        for (String plaintext : plaintexts()) {
          if (ShowRows.contains(stored, plaintext.getBytes(StandardCharsets.UTF_8))) {
            leaks.add(c + " of row " + row.id() + " holds '" + plaintext + "'");
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  /** Each row's values and footer name the same row DEK (N), and no two rows share one. */
  private static void assertOneRowKeyPerRow(List<RawRows.Row> rows) {
    Set<String> nonces = new TreeSet<>();
    for (RawRows.Row row : rows) {
      StoredValue footer = StoredValue.parseFooter(row.footer());
      for (EncryptedColumn c : EncryptedColumn.values()) {
        assertThat(StoredValue.parse(row.stored(c)).sameRowKey(footer)).as(c + " of row " + row.id()).isTrue();
      }
      nonces.add(java.util.HexFormat.of().formatHex(footer.nonce()));
    }
    assertThat(nonces).hasSize(rows.size());
  }

  /** Not even the database files hold a plaintext (the plaintext name column shows the search works). */
  private static void assertNoPlaintextInFiles(Path dataDir) throws Exception {
    List<String> leaks = new ArrayList<>();
    boolean namesFound = false;
    try (var files = Files.list(dataDir)) {
      for (Path f : files.toList()) {
        byte[] bytes = Files.readAllBytes(f);
        namesFound |= ShowRows.contains(bytes, "Alice Martin".getBytes(StandardCharsets.UTF_8));
        for (String plaintext : plaintexts()) {
          if (ShowRows.contains(bytes, plaintext.getBytes(StandardCharsets.UTF_8))) {
            leaks.add(f.getFileName() + " holds '" + plaintext + "'");
          }
        }
      }
    }
    assertThat(namesFound).as("the plaintext column 'name' found in the files").isTrue();
    assertThat(leaks).isEmpty();
  }

  private static void assertDecryptsToTheSamples(Map<Long, Map<EncryptedColumn, String>> decrypted) {
    Set<String> emails = new TreeSet<>();
    decrypted.values().forEach(v -> emails.add(v.get(EncryptedColumn.EMAIL)));
    assertThat(emails).containsExactlyInAnyOrderElementsOf(
        SampleCustomers.FIRST_RUN.stream().map(SampleCustomers.Sample::email).toList());
    for (SampleCustomers.Sample s : SampleCustomers.FIRST_RUN) {
      Map<EncryptedColumn, String> row = decrypted.values().stream()
          .filter(v -> v.get(EncryptedColumn.EMAIL).equals(s.email())).findFirst().orElseThrow();
      assertThat(row.get(EncryptedColumn.SSN)).isEqualTo(s.ssn());
      assertThat(row.get(EncryptedColumn.BIRTH_DATE)).isEqualTo(s.birthDate().toString());
      assertThat(row.get(EncryptedColumn.CARD_NUMBER)).isEqualTo(s.cardNumber());
      assertThat(row.get(EncryptedColumn.STREET)).isEqualTo(s.street());
      assertThat(row.get(EncryptedColumn.NOTES)).isIn(s.notes(), SampleCustomers.noteAfterRotation(2),
          SampleCustomers.noteAfterRotation(3));
    }
  }

  private static Set<Long> versionsInRows(List<RawRows.Row> rows) {
    Set<Long> versions = new TreeSet<>();
    for (RawRows.Row row : rows) {
      for (EncryptedColumn c : EncryptedColumn.values()) {
        versions.add(StoredValue.parse(row.stored(c)).keyVersion());
      }
    }
    return versions;
  }

  private static List<String> plaintexts() {
    List<String> all = new ArrayList<>();
    for (SampleCustomers.Sample s : SampleCustomers.FIRST_RUN) {
      all.addAll(List.of(s.email(), s.ssn(), s.birthDate().toString(), s.cardNumber(), s.notes(), s.street()));
    }
    return all;
  }
}
