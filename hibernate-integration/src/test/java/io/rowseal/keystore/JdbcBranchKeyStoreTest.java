package io.rowseal.keystore;

import static io.rowseal.keystore.StoreFixture.CMK;
import static io.rowseal.keystore.StoreFixture.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcBranchKeyStoreTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void constructor_tablesAbsent_createsBothTables(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      assertThat(f.tableExists(f.table)).isFalse();

      f.store();

      assertThat(f.tableExists(f.table)).isTrue();
      assertThat(f.tableExists(f.table + "_head")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void constructor_tablesPresent_reusesThemWithTheirData(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      BranchKeyRecord written = f.store().rotate("orders", CMK, StoreFixture::wrapped);

      JdbcBranchKeyStore reopened = f.storeInAnotherProcess();

      assertThat(reopened.findActive("orders")).contains(written);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void constructor_customTableName_storesRowsInThatTable(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      f.store().createIfAbsent("orders", CMK, StoreFixture::wrapped);

      try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT key_id, key_version, status FROM " + f.table)) {
        assertThat(rs.next()).isTrue();
        assertThat(List.of(rs.getString(1), rs.getInt(2), rs.getString(3))).containsExactly("orders", 1, "ACTIVE");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void constructor_noTableName_usesRowsealBranchKeys() throws Exception {
    // H2 only: each H2 data source is a private database, so the fixed name cannot collide.
    try (StoreFixture f = new StoreFixture(TestDatabase.H2)) {
      new JdbcBranchKeyStore(f.dataSource()).createIfAbsent("orders", CMK, StoreFixture::wrapped);

      assertThat(f.tableExists("rowseal_branch_keys")).isTrue();
      assertThat(f.tableExists("rowseal_branch_keys_head")).isTrue();
    }
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"1keys", "keys; DROP TABLE x", "app.keys", "\"keys\"", "my keys", "schlüssel",
      "a234567890123456789012345678901234567890123456789012345678x"})
  void constructor_badTableName_throwsIllegalArgument(String name) throws Exception {
    try (StoreFixture f = new StoreFixture(TestDatabase.H2)) {
      assertThatThrownBy(() -> new JdbcBranchKeyStore(f.dataSource(), name))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("plain SQL identifier")
          .hasMessageContaining("'" + name + "'");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void createIfAbsent_newKeyId_returnsActiveVersion1(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      BranchKeyRecord created = f.store().createIfAbsent("orders", CMK, StoreFixture::wrapped);

      assertThat(created.ref()).isEqualTo(new BranchKeyRef("orders", 1));
      assertThat(created.status()).isEqualTo(BranchKeyStatus.ACTIVE);
      assertThat(created.cmkId()).isEqualTo(CMK);
      assertThat(created.wrappedKey()).isEqualTo(wrapped(created.ref()));
      assertThat(f.store().find(created.ref())).contains(created);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void createIfAbsent_existingKeyId_returnsExistingVersionWithoutWrapping(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      BranchKeyRecord first = store.createIfAbsent("orders", CMK, StoreFixture::wrapped);
      AtomicInteger wraps = new AtomicInteger();

      BranchKeyRecord second = store.createIfAbsent("orders", "other-cmk", ref -> {
        wraps.incrementAndGet();
        return wrapped(ref);
      });

      assertThat(second).isEqualTo(first);
      assertThat(wraps).hasValue(0);
      assertThat(store.versions("orders")).containsExactly(first);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_repeatedly_addsNextVersionAndKeepsOldOnesReadable(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      List<BranchKeyRecord> written = new ArrayList<>();
      written.add(store.createIfAbsent("orders", CMK, StoreFixture::wrapped));

      for (int i = 0; i < 3; i++) {
        written.add(store.rotate("orders", CMK, StoreFixture::wrapped));
      }

      assertThat(written).extracting(r -> r.ref().version()).containsExactly(1, 2, 3, 4);
      assertThat(store.findActive("orders")).contains(written.get(3));
      List<BranchKeyRecord> versions = store.versions("orders");
      assertThat(versions).extracting(r -> r.ref().version()).containsExactly(1, 2, 3, 4);
      assertThat(versions).extracting(BranchKeyRecord::status).containsExactly(BranchKeyStatus.DECRYPT_ONLY,
          BranchKeyStatus.DECRYPT_ONLY, BranchKeyStatus.DECRYPT_ONLY, BranchKeyStatus.ACTIVE);
      for (BranchKeyRecord old : written.subList(0, 3)) {
        BranchKeyRecord found = store.find(old.ref()).orElseThrow();
        assertThat(found.status()).isEqualTo(BranchKeyStatus.DECRYPT_ONLY);
        assertThat(found.wrappedKey()).isEqualTo(wrapped(old.ref()));
        assertThat(found.createdAt()).isEqualTo(old.createdAt());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_newKeyId_createsVersion1(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      BranchKeyRecord created = f.store().rotate("orders", CMK, StoreFixture::wrapped);

      assertThat(created.ref().version()).isEqualTo(1);
      assertThat(f.store().findActive("orders")).contains(created);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_unknownKeyIdOrVersion_isEmpty(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      store.createIfAbsent("orders", CMK, StoreFixture::wrapped);

      assertThat(store.findActive("customers")).isEmpty();
      assertThat(store.find(new BranchKeyRef("orders", 2))).isEmpty();
      assertThat(store.versions("customers")).isEmpty();
    }
  }

  // Found by BranchKeyRowFuzzTest (status 'ACTIV      E' within 9 inputs): such rows made the readers throw
  // IllegalArgumentException from the JDK.
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void read_rowEditedToAnUnknownStatusOrVersionZero_refusedWithRs3004(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      store.rotate("orders", CMK, StoreFixture::wrapped);
      store.rotate("orders", CMK, StoreFixture::wrapped);
      f.execute("UPDATE " + f.table + " SET status = 'REVOKED' WHERE key_version = 1");

      assertThatThrownBy(() -> store.versions("orders")).isInstanceOf(KeyStoreException.class)
          .hasMessageStartingWith("RS-3004: ").hasMessageContaining("'orders'").hasMessageContaining("unknown status");
      assertThatThrownBy(() -> store.find(new BranchKeyRef("orders", 1))).isInstanceOf(KeyStoreException.class)
          .hasMessageStartingWith("RS-3004: ");
      assertThat(store.findActive("orders")).map(BranchKeyRecord::ref).contains(new BranchKeyRef("orders", 2));

      f.execute("UPDATE " + f.table + " SET status = 'DECRYPT_ONLY', key_version = 0 WHERE key_version = 1");

      assertThatThrownBy(() -> store.versions("orders")).isInstanceOf(KeyStoreException.class)
          .hasMessageStartingWith("RS-3004: ").hasMessageContaining("version 0");
    }
  }

  // MariaDB compares VARCHARs ignoring trailing spaces (PAD SPACE, also under ascii_bin): a query for 'orders'
  // finds a row of 'orders ', which must not be read as a version of 'orders'.
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void versions_rowWhoseKeyIdHasATrailingSpace_neverReadAsTheKeyId(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      f.execute("INSERT INTO " + f.table + " (key_id, key_version, status, cmk_id, wrapped_key, created_at_ms)"
          + " VALUES ('orders ', 1, 'ACTIVE', 'cmk-test', NULL, 0)");

      if (db == TestDatabase.MARIADB) {
        assertThatThrownBy(() -> store.versions("orders")).isInstanceOf(KeyStoreException.class)
            .hasMessageStartingWith("RS-3004: ").hasMessageContaining("a key id that is not 'orders'");
      } else {
        assertThat(store.versions("orders")).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void keyIds_differingOnlyInCase_areDistinct(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      store.createIfAbsent("orders", CMK, StoreFixture::wrapped);

      BranchKeyRecord upper = store.createIfAbsent("ORDERS", CMK, StoreFixture::wrapped);

      assertThat(upper.ref()).isEqualTo(new BranchKeyRef("ORDERS", 1));
      assertThat(store.versions("orders")).extracting(BranchKeyRecord::ref)
          .containsExactly(new BranchKeyRef("orders", 1));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void destroy_decryptOnlyVersion_erasesWrappedKeyAndMarksDestroyed(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      BranchKeyRecord old = store.createIfAbsent("orders", CMK, StoreFixture::wrapped);
      BranchKeyRecord active = store.rotate("orders", CMK, StoreFixture::wrapped);

      store.destroy(old.ref());
      store.destroy(old.ref()); // a second erase is harmless

      BranchKeyRecord destroyed = store.find(old.ref()).orElseThrow();
      assertThat(destroyed.status()).isEqualTo(BranchKeyStatus.DESTROYED);
      assertThat(destroyed.wrappedKey()).isEmpty();
      try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT wrapped_key FROM " + f.table + " WHERE key_version = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isNull();
      }
      assertThat(store.findActive("orders")).contains(active);
      assertThat(store.versions("orders")).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void destroy_activeVersion_throwsIllegalStateNamingKeyIdAndVersion(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      store.createIfAbsent("orders", CMK, StoreFixture::wrapped);
      BranchKeyRecord active = store.rotate("orders", CMK, StoreFixture::wrapped);

      assertThatThrownBy(() -> store.destroy(active.ref()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'orders'")
          .hasMessageContaining("version 2")
          .hasMessageContaining("ACTIVE");
      assertThat(store.findActive("orders")).contains(active);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void destroy_unknownVersion_throwsIllegalArgument(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      JdbcBranchKeyStore store = f.store();
      store.createIfAbsent("orders", CMK, StoreFixture::wrapped);

      assertThatThrownBy(() -> store.destroy(new BranchKeyRef("orders", 7)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version 7 of key id 'orders'");
    }
  }
}
