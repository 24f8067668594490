package io.rowseal.demo.app;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scenario step: the key hierarchy in use, from the HSM domain down to the row keys, by identifiers,
 * versions and states as the database stores them. Never a key byte: every key is stored wrapped, and
 * the row DEKs are named by their derive nonce N.
 */
final class ShowKeyHierarchy {
  private ShowKeyHierarchy() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("The key hierarchy in use (identifiers only: no key byte is ever printed)");
    // 1. Read the key tables through JDBC, as anyone with database access could.
    KeyTables.State keys = KeyTables.read(ctx.dataSource);
    long rows = RawRows.read(ctx.dataSource).size();
    // 2. One line per level: what is in use, and where (wrapped) it lives.
    String cmks = keys.cmks().stream().map(c -> c.id() + " " + c.state()).collect(Collectors.joining(", "));
    console.table(Table.of("level", "in use:48", "stored as")
        .row("HSM domain", keys.hsmCount() + " software HSMs, domain key gen. " + keys.domainKeyGeneration(),
            "key pairs: .rowseal/localkms.p12")
        .row("CMK", cmks, "EKT, sealed under the domain key")
        .row("branch key", branchKeys(keys.branchKeys()), "wrapped under the CMK")
        .row("row DEK", "one per row write: " + rows + " rows, each under its own", "derived from the branch key (derive-key mode)"));
    console.line("tables: %s, %s*; a row DEK is named (by its N) in each of its row's values and its footer",
        KeyTables.BRANCH_KEYS, KeyTables.KMS_PREFIX);
    console.line("@Encrypted at run time%s: %s", ctx.agent ? " (added by the agent)" : "",
        fieldList(DemoContext.encryptedFields(ctx.model)));
  }

  /** {@code Customer.{email, ssn}, Address.street} from {@code Class#field} names. */
  static String fieldList(List<String> fields) {
    Map<String, List<String>> byClass = fields.stream().collect(Collectors.groupingBy(
        f -> f.substring(0, f.indexOf('#')), java.util.LinkedHashMap::new,
        Collectors.mapping(f -> f.substring(f.indexOf('#') + 1), Collectors.toList())));
    return byClass.entrySet().stream().map(e -> e.getKey() + "." + (e.getValue().size() == 1
        ? e.getValue().get(0) : "{" + String.join(", ", e.getValue()) + "}"))
        .collect(Collectors.joining(", "));
  }

  /** {@code default v3 ACTIVE; v1-v2 DECRYPT_ONLY}: the versions by status, ranges for the older ones. */
  static String branchKeys(List<KeyTables.BranchKey> versions) {
    Map<String, List<KeyTables.BranchKey>> byStatus = versions.stream()
        .collect(Collectors.groupingBy(KeyTables.BranchKey::status, TreeMap::new, Collectors.toList()));
    return byStatus.entrySet().stream().map(e -> {
      List<KeyTables.BranchKey> group = e.getValue();
      KeyTables.BranchKey first = group.get(0);
      KeyTables.BranchKey last = group.get(group.size() - 1);
      boolean contiguous = last.version() - first.version() == group.size() - 1;
      String range = group.size() == 1 ? "v" + first.version()
          : contiguous ? "v" + first.version() + "-v" + last.version()
          : group.stream().map(b -> "v" + b.version()).collect(Collectors.joining(","));
      return first.keyId() + " " + range + " " + e.getKey();
    }).collect(Collectors.joining("; "));
  }
}
