package io.rowseal.benchmarks.macro;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.benchmarks.macro.MigrationWorkload.Job;
import io.rowseal.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The migration benchmark measures what its report says only if each job starts from the state it
 * claims and leaves the table as that job must: checked on the stored bytes, on H2, with a few rows.
 */
class MigrationWorkloadTest {
  private static final int ROWS = 120;

  @Test
  void everyJob_startsFromItsStateAndLeavesTheTableAsMeasured() {
    try (MigrationWorkload w = MigrationWorkload.open(Database.H2, ROWS)) {
      w.prepare(Job.BASELINE);
      List<Object[]> legacy = stored(w);
      assertThat(legacy).hasSize(ROWS).allMatch(r -> !Envelope.isValue((byte[]) r[1]) && r[4] == null);
      assertThat(w.run(Job.BASELINE)).isEqualTo(ROWS);
      List<Object[]> rewritten = stored(w);
      for (int i = 0; i < ROWS; i++) {
        String before = text(legacy.get(i)[2]);
        assertThat(text(rewritten.get(i)[2])).as("row %d", i + 1)
            .isEqualTo(new StringBuilder(before).reverse().toString()).isNotEqualTo(before);
      }

      w.prepare(Job.CURRENT);
      assertThat(stored(w)).as("after the baseline's plaintext").allMatch(r -> Envelope.isValue((byte[]) r[1])
          && r[4] != null);
      assertThat(w.run(Job.CURRENT)).isZero();

      w.prepare(Job.ENCRYPT);
      assertThat(stored(w)).allMatch(r -> !Envelope.isValue((byte[]) r[1]));
      assertThat(w.run(Job.ENCRYPT)).isEqualTo(ROWS);
      assertThat(stored(w)).allMatch(r -> Envelope.isValue((byte[]) r[1]) && Envelope.isValue((byte[]) r[3])
          && r[4] != null);

      w.prepare(Job.REENCRYPT);
      Set<Integer> before = versions(w);
      assertThat(before).hasSize(1);
      assertThat(w.run(Job.REENCRYPT)).isEqualTo(ROWS);
      assertThat(versions(w)).containsExactly(before.iterator().next() + 1);

      w.prepare(Job.CURRENT);
      List<Object[]> current = stored(w);
      assertThat(current).allMatch(r -> Envelope.isValue((byte[]) r[1]) && r[4] != null);
      assertThat(w.run(Job.CURRENT)).isZero();
      w.prepare(Job.CURRENT);
      assertThat(w.run(Job.CURRENT)).as("every later pass finds the rows current").isZero();
      assertThat(stored(w)).usingRecursiveFieldByFieldElementComparator().isEqualTo(current);
    }
  }

  /** id, code, email, address, footer of every row, in id order, as stored. */
  private static List<Object[]> stored(MigrationWorkload w) {
    return w.sessionFactory().fromTransaction(s -> s.createNativeQuery("select id, code, email, address, rowseal_sig"
        + " from " + MigrationWorkload.TABLE + " order by id", Object[].class).getResultList());
  }

  private static Set<Integer> versions(MigrationWorkload w) {
    return stored(w).stream().map(r -> Envelope.branchKeyOf((byte[]) r[2]).version()).collect(Collectors.toSet());
  }

  private static String text(Object stored) {
    return new String((byte[]) stored, StandardCharsets.UTF_8);
  }
}
