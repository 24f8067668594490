package io.rowseal.benchmarks.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.benchmarks.macro.Database;
import io.rowseal.benchmarks.search.SearchWorkload.Kind;
import io.rowseal.envelope.Envelope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The search benchmark measures what its report says only if every lookup finds exactly the row it looks
 * for, through the blind index rowseal wrote: checked on H2 with 2,000 rows per table, seeded as the
 * benchmark seeds (in chunks, the four tables in turns).
 */
class SearchWorkloadTest {
  private static final int ROWS = 2_000;
  private static SearchWorkload w;

  @BeforeAll
  static void seed() {
    w = SearchWorkload.open(Database.H2);
    for (int chunk = 0; chunk < 2; chunk++) {
      for (Kind k : Kind.values()) {
        w.insert(k, ROWS / 2);
      }
    }
  }

  @AfterAll
  static void close() {
    w.close();
  }

  @Test
  void insert_writesEveryRowEncryptedWithTheIndexRowsealComputes() {
    for (Kind k : Kind.values()) {
      assertThat(w.rows("select count(*) from " + k.table())).as(k.id()).containsExactly(Integer.toString(ROWS));
    }
    assertThat(w.rows("select email from rsbsearch_plain where id = ?", 7L)).containsExactly(SearchWorkload.email(6));
    for (Kind k : new Kind[] {Kind.SEALED, Kind.INDEXED, Kind.UNIQUE}) {
      assertThat(Envelope.isValue(w.stored(k, "email", 6))).as(k.id()).isTrue();
    }
    // 17 bits for the default 1,000,000 distinct values, 256 for unique; each after a key-version byte.
    assertThat(w.storedTag(Kind.INDEXED, 6)).hasSize(1 + 3);
    assertThat(w.storedTag(Kind.UNIQUE, 6)).hasSize(1 + 32);
  }

  @Test
  void lookup_findsExactlyTheRowSearchedFor_onEverySearchableTable() {
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < 20; n++) {
      int i = n == 0 ? 0 : n == 1 ? ROWS - 1 : random.nextInt(ROWS);
      for (Kind k : new Kind[] {Kind.PLAIN, Kind.INDEXED, Kind.UNIQUE}) {
        assertThat(w.lookup(k, i)).as("%s row %d", k.id(), i).isEqualTo(i + 1L);
        assertThat(w.load(k, i)).as("%s row %d", k.id(), i).isEqualTo(i + 1L);
      }
      assertThat(w.jdbcLookup(i)).isEqualTo(i + 1L);
      // the side query's candidates hold the row exactly once (n * 1000 + matching)
      assertThat(w.candidates(Kind.INDEXED, i, w.storedTag(Kind.INDEXED, i), true) % 1000).isEqualTo(1);
      assertThat(w.candidates(Kind.UNIQUE, i, w.storedTag(Kind.UNIQUE, i), true)).isEqualTo(1001);
      assertThat(w.mainQuery(Kind.INDEXED, w.storedTag(Kind.INDEXED, i), w.stored(Kind.INDEXED, "email", i)))
          .as("the main query, given the row's stored value").isEqualTo(1);
      assertThat(w.mainQuery(Kind.INDEXED, w.storedTag(Kind.INDEXED, i), w.storedTag(Kind.INDEXED, i),
          w.stored(Kind.INDEXED, "email", i))).as("the main query, the tag in both slots").isEqualTo(1);
      assertThat(w.mainQuery(Kind.INDEXED, w.storedTag(Kind.INDEXED, i), new byte[] {1}))
          .as("the main query, given no vetted value").isZero();
    }
  }

  @Test
  void lookup_ofAnEmailNoRowHolds_findsNothingAndTheBenchmarkRefusesIt() {
    for (Kind k : new Kind[] {Kind.PLAIN, Kind.INDEXED, Kind.UNIQUE}) {
      assertThat(w.find(k, SearchWorkload.email(ROWS + 5))).as(k.id()).isEmpty();
      assertThatThrownBy(() -> w.lookup(k, ROWS + 5)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("found 0 rows");
    }
  }

  @Test
  void lookup_onTheEncryptedTableWithoutIndex_isRefused() {
    assertThatThrownBy(() -> w.find(Kind.SEALED, SearchWorkload.email(0))).hasMessageContaining("RS-4405");
  }

  @Test
  void email_isDistinctPerRow() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      assertThat(seen.add(SearchWorkload.email(i))).as("row %d", i).isTrue();
    }
  }
}
