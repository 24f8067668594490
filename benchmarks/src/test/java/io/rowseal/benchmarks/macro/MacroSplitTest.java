package io.rowseal.benchmarks.macro;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The interleaved macro measures all three entities and splits their time; the server's CPU is read. */
class MacroSplitTest {
  @Test
  void measure_onH2_givesEveryEntityItsRoundsAndTheAddedRow() {
    Map<String, Map<String, MacroSplit.Figure>> split = MacroSplit.measure(List.of("h2"), true);

    Map<String, MacroSplit.Figure> h2 = split.get("h2");
    assertThat(h2).containsOnlyKeys("plaintext", "wide", "floor", "encrypted");
    h2.forEach((entity, f) -> {
      assertThat(f.wall()).as(entity).isPositive();
      assertThat(f.thread()).as(entity).isPositive();
      assertThat(f.server()).as("H2 has no server process: %s", entity).isZero();
      assertThat(java.util.Arrays.stream(f.rounds()[0]).min().orElseThrow()).as(entity).isPositive();
      assertThat(f.rounds()[0]).as(entity).hasSize(2);
    });
    assertThat(MacroSplit.section(split, true)).contains("| h2 | plaintext |", "| h2 | wide |",
        "| h2 | floor |", "| h2 | encrypted |", "| h2 | **added**", "| h2 | floor added");
  }

  @Test
  void postgresTicks_growWhileTheServerWorks() throws Exception {
    Assumptions.assumeTrue(Database.POSTGRESQL.reachable() || "true".equals(System.getenv("CI")),
        "PostgreSQL at 127.0.0.1:5432 does not answer: skipped (under CI=true this fails instead)");
    try (Connection c = DriverManager.getConnection(Database.POSTGRESQL.url(), Database.POSTGRESQL.user(),
        Database.POSTGRESQL.password()); Statement st = c.createStatement()) {
      long before = MacroSplit.postgresTicks();
      // about a second of server CPU: many clock ticks
      st.execute("select count(*) from generate_series(1, 20000000)");
      // read while the connection is open: a backend's ticks leave the sum when its process ends
      assertThat(MacroSplit.postgresTicks()).isGreaterThan(before);
    }
  }
}
