package io.rowseal.keystore;

import static io.rowseal.keystore.StoreFixture.CMK;
import static io.rowseal.keystore.StoreFixture.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the store does when the database, the wrap function or concurrent writers get in the way. */
class JdbcBranchKeyStoreFailureTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_wrapFunctionReturnsNothing_throwsIllegalArgumentAndStoresNothing(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();

      assertThatThrownBy(() -> store.rotate("orders", CMK, ref -> new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("orders#1");
      assertThat(store.versions("orders")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_wrapFunctionThrows_propagatesAndKeepsActiveVersion(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      BranchKeyRecord active = store.createIfAbsent("orders", CMK, StoreFixture::wrapped);
      IllegalStateException kmsDown = new IllegalStateException("KMS down");

      assertThatThrownBy(() -> store.rotate("orders", CMK, ref -> {
        throw kmsDown;
      })).isSameAs(kmsDown);
      assertThat(store.versions("orders")).containsExactly(active);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_statementFails_throwsKeyStoreExceptionNamingTableWithoutWrappedBytes(TestDatabase db)
      throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      f.execute("DROP TABLE " + f.table); // the head insert succeeds, the version insert (with the bytes) fails
      byte[] secret = "SECRET-WRAPPED-KEY-BYTES".getBytes(StandardCharsets.US_ASCII);

      assertThatThrownBy(() -> store.rotate("orders", CMK, ref -> secret.clone()))
          .isInstanceOfSatisfying(KeyStoreException.class, e -> {
            assertThat(e.code()).isEqualTo("RS-3001");
            assertThat(e.getMessage())
                .startsWith("RS-3001: key store table " + f.table + " ")
                .contains("key id 'orders'", "SQL state");
            for (Throwable t = e; t != null; t = t.getCause()) {
              assertThat(String.valueOf(t.getMessage())).doesNotContain(new String(secret, StandardCharsets.US_ASCII),
                  HexFormat.of().formatHex(secret), HexFormat.of().withUpperCase().formatHex(secret),
                  Base64.getEncoder().encodeToString(secret));
            }
          });
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void findActive_poolClosed_throwsKeyStoreExceptionNamingTableAndKeyId(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      HikariDataSource pool = f.newPool();
      JdbcBranchKeyStore store = new JdbcBranchKeyStore(pool, f.table);
      pool.close();

      assertThatThrownBy(() -> store.findActive("orders"))
          .isInstanceOf(KeyStoreException.class)
          .hasMessageStartingWith("RS-3001: key store table " + f.table + " unreachable or failed")
          .hasMessageContaining("key id 'orders'");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_everyCompareAndSetLost_throwsContendedNamingKeyIdAndAttempts(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore loser = new JdbcBranchKeyStore(f.dataSource(), f.table, 3);
      JdbcBranchKeyStore winner = f.storeInAnotherProcess();
      loser.createIfAbsent("orders", CMK, StoreFixture::wrapped);

      // Each time the loser wraps its new key, another process commits a rotation first.
      assertThatThrownBy(() -> loser.rotate("orders", CMK, ref -> {
        winner.rotate("orders", CMK, StoreFixture::wrapped);
        return wrapped(ref);
      }))
          .isInstanceOfSatisfying(KeyStoreException.class, e -> assertThat(e.code()).isEqualTo("RS-3002"))
          .hasMessageContaining(f.table)
          .hasMessageContaining("key id 'orders'")
          .hasMessageContaining("after 3 attempts");
      List<BranchKeyRecord> versions = loser.versions("orders");
      assertThat(versions).extracting(r -> r.ref().version()).containsExactly(1, 2, 3, 4);
      assertThat(versions).filteredOn(r -> r.status() == BranchKeyStatus.ACTIVE).hasSize(1);
      assertThat(versions).allSatisfy(r -> assertThat(r.wrappedKey()).isEqualTo(wrapped(r.ref())));
    }
  }
}
