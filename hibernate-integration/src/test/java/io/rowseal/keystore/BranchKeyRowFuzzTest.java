package io.rowseal.keystore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.testing.SeedCorpus;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of stored branch-key records: {@link JdbcBranchKeyStore#find}, {@link JdbcBranchKeyStore#versions}
 * and {@link JdbcBranchKeyStore#findActive} reading a row of the version table that holds whatever the fuzzer put
 * in its columns (on H2). The input is the row as text, one column per line: {@code key_id}, {@code key_version},
 * {@code status}, {@code cmk_id}, {@code wrapped_key} (hex, or {@code NULL}), {@code created_at_ms}. Seeds: rows as
 * the store writes them (ACTIVE, DECRYPT_ONLY, DESTROYED). Every read gives back exactly the stored row, or is
 * refused with RS-3004 when the row is not one the store can have written (an unknown status, a version below 1).
 */
class BranchKeyRowFuzzTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final StoreFixture FIXTURE = new StoreFixture(TestDatabase.H2);
  private static final JdbcBranchKeyStore STORE = FIXTURE.store();

  @FuzzTest
  void read_anyStoredRow_theRowOrRs3004(byte[] input) throws SQLException {
    Row row = Row.parse(input);
    if (row == null || !BranchKeyRef.isValidKeyIdText(row.keyId()) || !row.insertInto(FIXTURE)) {
      return; // not a row of the table, or one no query by a valid key id can reach
    }
    boolean wellFormed = row.version() >= 1 && Arrays.stream(BranchKeyStatus.values())
        .anyMatch(s -> s.name().equals(row.status()));
    assertReads(row, wellFormed, () -> STORE.versions(row.keyId()).stream().findFirst());
    if (row.status().equals("ACTIVE")) {
      assertReads(row, wellFormed, () -> STORE.findActive(row.keyId()));
    }
    if (row.version() >= 1) {
      assertReads(row, wellFormed, () -> STORE.find(new BranchKeyRef(row.keyId(), row.version())));
    }
  }

  @Test
  void seedCorpus_rowsAreReadBackAsTheyAreStored() throws SQLException {
    List<byte[]> seeds = SeedCorpus.of(getClass(), "read_anyStoredRow_theRowOrRs3004");
    assertThat(seeds).hasSize(3);
    for (byte[] seed : seeds) {
      Row row = Row.parse(seed);
      assertThat(row).as(new String(seed, StandardCharsets.UTF_8)).isNotNull();
      assertThat(row.insertInto(FIXTURE)).isTrue();
      assertThat(STORE.find(new BranchKeyRef(row.keyId(), row.version()))).contains(row.record());
    }
  }

  @AfterAll
  static void dropTables() throws SQLException {
    FIXTURE.close();
  }

  private static void assertReads(Row row, boolean wellFormed, Read read) {
    Optional<BranchKeyRecord> found;
    try {
      found = read.run();
    } catch (KeyStoreException e) {
      assertThat(wellFormed).as("refused a well-formed row: %s", e.getMessage()).isFalse();
      assertThat(e.code()).isEqualTo("RS-3004");
      return;
    }
    assertThat(wellFormed).as("read a malformed row").isTrue();
    assertThat(found).contains(row.record());
  }

  @FunctionalInterface
  private interface Read {
    Optional<BranchKeyRecord> run();
  }

  /** One row of the version table. */
  record Row(String keyId, int version, String status, String cmkId, byte[] wrapped, long createdAtMs) {
    /** The row {@code input} describes, or {@code null} if it describes none. */
    static Row parse(byte[] input) {
      String[] columns = new String(input, StandardCharsets.UTF_8).split("\n", -1);
      if (columns.length != 6) {
        return null;
      }
      try {
        return new Row(columns[0], Integer.parseInt(columns[1]), columns[2], columns[3],
            columns[4].equals("NULL") ? null : HEX.parseHex(columns[4]), Long.parseLong(columns[5]));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** Replaces the table's rows by this one; false if the database refuses it (a value too long). */
    boolean insertInto(StoreFixture fixture) throws SQLException {
      try (Connection c = fixture.dataSource().getConnection()) {
        c.createStatement().execute("DELETE FROM " + fixture.table);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + fixture.table
            + " (key_id, key_version, status, cmk_id, wrapped_key, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, keyId);
          ps.setInt(2, version);
          ps.setString(3, status);
          ps.setString(4, cmkId);
          ps.setBytes(5, wrapped);
          ps.setLong(6, createdAtMs);
          ps.executeUpdate();
        } catch (SQLException e) {
          return false;
        }
      }
      return true;
    }

    BranchKeyRecord record() {
      return new BranchKeyRecord(new BranchKeyRef(keyId, version), BranchKeyStatus.valueOf(status), cmkId, wrapped,
          Instant.ofEpochMilli(createdAtMs));
    }
  }
}
