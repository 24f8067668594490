package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine over the JDBC branch-key store: rotation and restart keep every value readable. */
class EnvelopeOnDatabaseTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void decrypt_afterRotationsAndRestart_everyValueReadable(TestDatabase db) throws Exception {
    String table = TestDatabase.uniqueTableName("bk");
    InMemoryCmkProvider kms = new InMemoryCmkProvider();
    try (HikariDataSource ds = db.dataSource()) {
      try {
        Envelope first = Envelope.builder().cmkProvider(kms).branchKeyStore(new JdbcBranchKeyStore(ds, table)).build();
        List<byte[]> values = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
          for (int i = 0; i < 25; i++) {
            values.add(first.encrypt(bytes("round " + round + " value " + i), "T.v"));
          }
          first.rotateBranchKey();
        }
        assertThat(first.activeBranchKey().version()).isEqualTo(5);
        long cmkCallsBefore = kms.totalCalls();

        Envelope restarted = Envelope.builder().cmkProvider(kms).branchKeyStore(new JdbcBranchKeyStore(ds, table)).build();
        for (int k = 0; k < values.size(); k++) {
          assertThat(restarted.decrypt(values.get(k), "T.v")).isEqualTo(bytes("round " + k / 25 + " value " + k % 25));
        }
        // one unwrap per branch-key version, not per value
        assertThat(kms.totalCalls() - cmkCallsBefore).isEqualTo(4);
        assertThat(restarted.activeBranchKey().version()).isEqualTo(5);
      } finally {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP TABLE " + table + "_head");
          s.execute("DROP TABLE " + table);
        }
      }
    }
  }
}
