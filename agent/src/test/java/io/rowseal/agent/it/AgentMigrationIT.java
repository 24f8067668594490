package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An application that already holds plaintext rows adopts rowseal with nothing but the agent jar and its
 * configuration: the agent's first start prints the DDL its columns need, the user runs it, and with
 * {@code rowseal.agent.migrate} the next start rewrites the existing rows (transition reads serve them
 * meanwhile); after that every row is ciphertext and reads back without transition reads.
 */
class AgentMigrationIT {
  private static final Pattern DDL = Pattern.compile("(?:change|widen|add) it with: ([^\\n]*)");

  @Test
  void migrate_plaintextRowsOfAnUnmodifiedApplication_areEncryptedByTheAgentAlone() throws Exception {
    ShippedApp app = ShippedApp.nativeApp("hibernate-6.6", "native bootstrap (no persistence.xml)", "6.6");
    Path db = ShippedApp.freshDatabase("agent-migration");
    ForkedJvm.Result legacy = app.run(List.of(), "write", db);
    assertThat(legacy.exitCode()).as(legacy.toString()).isZero();
    String base = app.domain().agentConfig();

    // 1. The agent's first start on the plaintext schema: refused, with the DDL that fixes it.
    ForkedJvm.Result refused = app.run(agent("refused", base), "read", db);
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    // (the application's hbm2ddl=update already changed the types it could and added the footer column)
    assertThat(refused.output()).contains("RS-4302");
    java.util.Set<String> statements = new java.util.LinkedHashSet<>();
    Matcher m = DDL.matcher(refused.output());
    while (m.find()) {
      for (String statement : m.group(1).split("; ")) {
        statements.add(statement.strip());
      }
    }
    assertThat(statements).isNotEmpty();
    try (Connection c = app.connect(db); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
    // The control: in a copy of the database as the job finds it, the scan of step 3 finds every plaintext.
    Path control = ShippedApp.freshDatabase("agent-migration-control");
    Files.copy(ShippedApp.dataFile(db), ShippedApp.dataFile(control));
    byte[] legacyFile = app.compactedFile(control);
    for (ShippedApp.Column column : app.domain().encrypted()) {
      assertThat(Bytes.indexOf(legacyFile, column.plaintext())).as(column.name() + " in the legacy file").isNotNegative();
    }

    // 2. With transition reads and the migration job: the old row serves, and is rewritten at start.
    ForkedJvm.Result migrated = app.run(agent("migrate", base + "rowseal.transition.read-plaintext = true\n"
        + "rowseal.agent.migrate = " + app.domain().entity() + "\nrowseal.agent.migrate-at-start = true\n"),
        "read", db);
    assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
    assertThat(migrated.output()).contains("migration of Account done")
        .contains("1 examined, 1 rewritten").contains(app.domain().readLine());

    // 3. Every row is ciphertext now, on disk too, and reads without transition reads.
    ForkedJvm.Result read = app.run(agent("after", base), "read", db);
    assertThat(read.exitCode()).as(read.toString()).isZero();
    assertThat(read.output()).contains(app.domain().readLine());
    // The old plaintext can stay in pages H2 has freed but not reused: compact, as docs/MIGRATION.md says.
    byte[] file = app.compactedFile(db);
    for (ShippedApp.Column column : app.domain().encrypted()) {
      assertThat(Bytes.indexOf(file, column.plaintext())).as(column.name() + " on disk").isNegative();
    }
    assertThat(Bytes.indexOf(file, app.domain().plainValue())).as("the plaintext column")
        .isNotNegative();
  }

  private static List<String> agent(String name, String config) {
    return List.of(ForkedJvm.javaagent(ForkedJvm.writeConfig("agent-migration-" + name + ".properties", config)));
  }
}
