package io.rowseal.demo.app;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scenario step: rotate the branch key. New rows are written under the new version at once; rows under
 * older versions stay readable, because every value names the version it was written under. One KMS
 * request (the new version's data key), however many rows there are.
 */
final class RotateBranchKey {
  private RotateBranchKey() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("Rotate the branch key");
    if (ctx.keys().isEmpty()) {
      console.line("skipped: in agent mode the envelope belongs to the agent, and the application has no");
      console.line("handle on it; run without the agent to see a rotation.");
      return;
    }
    KeyControl keys = ctx.keys().get();
    // 1. Rotate: a new ACTIVE version, wrapped under the same CMK; the former one becomes DECRYPT_ONLY.
    long requestsBefore = keys.usage().totalKmsRequests();
    int version = keys.rotateBranchKey();
    console.line("rotated: v%d is ACTIVE, v%d DECRYPT_ONLY (%s)", version, version - 1,
        KmsCost.count(keys.usage().totalKmsRequests() - requestsBefore, "KMS request"));
    // 2. Rewrite the customer whose row is oldest, so that one row is under the new version.
    RawRows.Row oldest = RawRows.read(ctx.dataSource).stream()
        .min(Comparator.comparingLong((RawRows.Row r) -> version(r).keyVersion()).thenComparingLong(RawRows.Row::id))
        .orElseThrow(() -> new DemoException("no customers to rewrite"));
    String note = SampleCustomers.noteAfterRotation(version);
    ctx.inTransaction(em -> em.find(ctx.model.customerClass(), oldest.id()).setNotes(note));
    console.line("rewrote the notes of %s (id %d): Hibernate's UPDATE re-encrypts the row under a fresh DEK",
        oldest.name(), oldest.id());
    // 3. Read every customer back in a fresh persistence context: rows of old and new versions.
    List<? extends CustomerRecord> customers = ctx.customers();
    Map<Long, RawRows.Row> raw = RawRows.read(ctx.dataSource).stream()
        .collect(Collectors.toMap(RawRows.Row::id, Function.identity()));
    Table table = Table.of("id", "name", "branch key", "row DEK: N", "notes (application):56");
    TreeSet<String> versions = new TreeSet<>();
    for (CustomerRecord c : customers) {
      StoredValue v = version(raw.get(c.getId()));
      versions.add(v.branchKey());
      table.row(c.getId(), c.getName(), v.branchKey(), v.nonceShort(), c.getNotes());
    }
    console.table(table);
    console.line("[ok] all %d customers read back, under %s", customers.size(), String.join(", ", versions));
  }

  private static StoredValue version(RawRows.Row row) {
    return StoredValue.parse(row.stored(EncryptedColumn.EMAIL));
  }
}
