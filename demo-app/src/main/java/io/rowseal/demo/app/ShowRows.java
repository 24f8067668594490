package io.rowseal.demo.app;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scenario step: the same rows twice, side by side: loaded through Hibernate (plaintext, what the
 * application sees) and read through plain JDBC (what the database, its backups and its DBA hold).
 * Then checks both claims on the raw bytes: no plaintext, one DEK per row write.
 */
final class ShowRows {
  private ShowRows() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("What the application sees, and what the database holds");
    // 1. The application's view (Hibernate) and the database's view (JDBC) of the same rows.
    List<? extends CustomerRecord> customers = ctx.customers();
    Map<Long, RawRows.Row> raw = RawRows.read(ctx.dataSource).stream()
        .collect(Collectors.toMap(RawRows.Row::id, Function.identity()));
    if (customers.isEmpty()) {
      console.line("no customers yet");
      return;
    }
    // 2. One customer, attribute by attribute.
    CustomerRecord first = customers.get(0);
    RawRows.Row firstRaw = raw.get(first.getId());
    console.line("%s (id %d), attribute by attribute:", first.getName(), first.getId());
    Table detail = Table.of("attribute", "application sees (Hibernate):40", "database holds (JDBC)")
        .row("name", first.getName(), "'" + firstRaw.name() + "' (plaintext column)");
    for (EncryptedColumn c : EncryptedColumn.values()) {
      detail.row(c.attribute(), c.plaintext(first), Hex.value(firstRaw.stored(c)));
    }
    detail.row("address.city", first.getCity(), "'" + firstRaw.city() + "' (plaintext column)");
    console.table(detail.row("(row footer)", "(not an entity attribute)", Hex.value(firstRaw.footer()) + " in " + RawRows.FOOTER));
    console.line("The footer binds the row's stored values to its id: a MAC keyed from the row's DEK.");
    // 3. Every customer, one encrypted attribute, with the branch-key version and row DEK of each row.
    console.blank();
    console.line("Every customer; a row's DEK is named by its derive nonce N (value bytes 7+k..23+k, docs/FORMAT.md):");
    Table all = Table.of("id", "name", "email (application):26", "email (database)", "branch key", "row DEK: N");
    for (CustomerRecord c : customers) {
      byte[] stored = raw.get(c.getId()).stored(EncryptedColumn.EMAIL);
      StoredValue header = StoredValue.parse(stored);
      all.row(c.getId(), c.getName(), c.getEmail(), Hex.value(stored), header.branchKey(), header.nonceShort());
    }
    console.table(all);
    // 4. Check the claims on the raw bytes.
    console.blank();
    checkNoPlaintext(console, customers, raw);
    checkOneKeyPerRow(console, raw.values());
  }

  /** No stored value contains the UTF-8 bytes of its own plaintext. */
  static void checkNoPlaintext(Console console, List<? extends CustomerRecord> customers,
      Map<Long, RawRows.Row> raw) {
    int checked = 0;
    int leaks = 0;
    for (CustomerRecord c : customers) {
      for (EncryptedColumn col : EncryptedColumn.values()) {
        String plain = col.plaintext(c);
        byte[] stored = raw.get(c.getId()).stored(col);
        if (plain == null || plain.isEmpty() || stored == null) {
          continue;
        }
        checked++;
        if (contains(stored, plain.getBytes(StandardCharsets.UTF_8))) {
          leaks++;
        }
      }
    }
    console.line(leaks == 0 ? "[ok] no plaintext: none of the %d stored values contains its plaintext"
        : "[FAILED] %2$d of the %1$d stored values contain their plaintext", checked, leaks);
  }

  /** All values of a row share one N; no two rows share one. */
  static void checkOneKeyPerRow(Console console, java.util.Collection<RawRows.Row> rows) {
    Set<String> nonces = new HashSet<>();
    int rowsSharingWithin = 0;
    for (RawRows.Row row : rows) {
      StoredValue first = row.footer() == null ? null : StoredValue.parseFooter(row.footer());
      boolean same = first != null;
      for (byte[] stored : row.encrypted().values()) {
        if (stored != null) {
          same &= first != null && first.sameRowKey(StoredValue.parse(stored));
        }
      }
      rowsSharingWithin += same ? 1 : 0;
      if (first != null) {
        nonces.add(first.branchKey() + "/" + java.util.HexFormat.of().formatHex(first.nonce()));
      }
    }
    boolean ok = rowsSharingWithin == rows.size() && nonces.size() == rows.size();
    console.line(ok ? "[ok] one DEK per row write: the %d values and the footer of each row share their N; no two of %d rows do"
        : "[FAILED] rows do not have one DEK each (%d values and a footer per row, %d rows)",
        EncryptedColumn.values().length, rows.size());
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
