package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyState;
import io.rowseal.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Durable state on every test database: restarts, domain-key rotations, interrupted rotations. */
class LocalKmsDurabilityTest {

  /** A key wrapped under a CMK, with what it takes to unwrap it again. */
  record Written(String cmkId, byte[] blob, EncryptionContext context, KeyMaterial key) {}

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotateDomainKey_thirtyTimesOnFakeClockThenRestart_everyKeyUnwraps(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db)) {
      List<Written> written = new ArrayList<>();
      String a;
      String b;
      try (LocalKms kms = t.builder().build()) {
        a = kms.createKey("a").cmkId();
        b = kms.createKey("b").cmkId();
        for (int day = 1; day <= 30; day++) {
          written.add(generate(kms, a, day));
          written.add(wrap(kms, b, day));
          if (day % 10 == 0) {
            kms.rotateKey(a);
          }
          t.clock.advance(Duration.ofDays(1));
          kms.runMaintenance();
          assertThat(kms.domainKeyGeneration()).isEqualTo(day + 1);
        }
        assertThat(count(t.ds, t.prefix + "domain_token")).isEqualTo(1);
      }
      try (LocalKms restarted = t.builder().build()) {
        assertThat(restarted.domainKeyGeneration()).isEqualTo(31);
        assertThat(restarted.describe(a).currentVersion()).isEqualTo(4);
        assertUnwrapAll(restarted, written);
        assertThat(ektGenerations(t.ds, t.prefix)).containsOnly(31L);
        // Each rotation re-MACed both CMK rows, and the restart verified them under generation 31.
        assertThat(macGenerations(t.ds, t.prefix)).containsExactly(31L, 31L);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotateDomainKey_killedBetweenEkts_restartFinishesItAndLosesNoCmk(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db)) {
      List<Written> written = new ArrayList<>();
      List<String> cmks = new ArrayList<>();
      LocalKmsBuilder crashing = t.builder();
      AtomicInteger resealed = new AtomicInteger();
      crashing.rotationHook = row -> {
        if (resealed.incrementAndGet() == 3) {
          throw new IllegalStateException("injected crash after the third EKT");
        }
      };
      try (LocalKms kms = crashing.build()) {
        for (int i = 0; i < 5; i++) {
          String id = kms.createKey("cmk " + i).cmkId();
          cmks.add(id);
          written.add(generate(kms, id, i));
          if (i % 2 == 0) {
            kms.rotateKey(id);
            written.add(wrap(kms, id, i));
          }
        }
        t.clock.advance(Duration.ofDays(1));
        assertThatThrownBy(kms::rotateDomainKey).hasMessageContaining("injected crash");
        // The crash left both generations in place: 3 EKTs under DK 2, 5 still under DK 1.
        assertThat(count(t.ds, t.prefix + "domain_token")).isEqualTo(2);
        assertThat(ektGenerations(t.ds, t.prefix)).containsExactlyInAnyOrder(1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L);
        // A CMK row is re-MACed after its EKTs: at least the first CMK moved, at least two did not.
        assertThat(macGenerations(t.ds, t.prefix)).hasSize(5).contains(1L, 2L);
      }
      try (LocalKms restarted = t.builder().build()) {
        assertThat(restarted.domainKeyGeneration()).isEqualTo(2);
        assertThat(ektGenerations(t.ds, t.prefix)).hasSize(8).containsOnly(2L);
        assertThat(macGenerations(t.ds, t.prefix)).hasSize(5).containsOnly(2L);
        assertThat(count(t.ds, t.prefix + "domain_token")).isEqualTo(1);
        for (String id : cmks) {
          assertThat(restarted.describe(id).state()).isEqualTo(KeyState.ENABLED);
        }
        assertUnwrapAll(restarted, written);
        assertThat(restarted.rotateDomainKey()).isEqualTo(3);
        assertUnwrapAll(restarted, written);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void unwrap_ektRowTamperedThenRestart_throwsIntegrityException(TestDatabase db) throws SQLException {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db)) {
      Written w;
      try (LocalKms kms = t.builder().build()) {
        w = generate(kms, kms.createKey("victim").cmkId(), 1);
      }
      try (Connection c = t.ds.getConnection();
          PreparedStatement select = c.prepareStatement("SELECT ekt FROM " + t.prefix + "ekt");
          PreparedStatement update = c.prepareStatement("UPDATE " + t.prefix + "ekt SET ekt = ?")) {
        byte[] ekt;
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          ekt = rs.getBytes(1);
        }
        ekt[30] ^= 0x01;
        update.setBytes(1, ekt);
        update.executeUpdate();
      }
      try (LocalKms restarted = t.builder().build()) {
        assertThatThrownBy(() -> restarted.unwrap(w.cmkId(), w.blob(), w.context()))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining(w.cmkId());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void build_onExistingTables_reusesDomainAndCreatesNoNewHsmKeys(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db)) {
      KmsTables tables = new KmsTables(t.ds, t.prefix);
      try (LocalKms kms = t.builder().build()) {
        kms.createKey("x");
      }
      Map<Integer, byte[]> before = tables.hsmPublicKeys();
      try (LocalKms again = t.builder().build()) {
        assertThat(again.usage().cmkCount()).isEqualTo(1);
      }
      assertThat(tables.hsmPublicKeys()).hasSize(3).containsOnlyKeys(before.keySet());
      before.forEach((i, k) -> assertThat(tables.hsmPublicKeys().get(i)).isEqualTo(k));
    }
  }

  static Written generate(LocalKms kms, String cmkId, int n) {
    EncryptionContext ctx = EncryptionContext.of(Map.of("n", Integer.toString(n)));
    DataKey dk = kms.generateDataKey(cmkId, ctx);
    return new Written(cmkId, dk.wrapped(), ctx, dk.plaintext());
  }

  static Written wrap(LocalKms kms, String cmkId, int n) {
    EncryptionContext ctx = EncryptionContext.of(Map.of("wrap", Integer.toString(n)));
    KeyMaterial key = KeyMaterial.random256Of(RandomSource.secure());
    return new Written(cmkId, kms.wrap(cmkId, key, ctx), ctx, key);
  }

  static void assertUnwrapAll(LocalKms kms, List<Written> written) {
    List<String> failures = new ArrayList<>();
    for (Written w : written) {
      int version = ByteBuffer.wrap(w.blob(), 1, 4).getInt();
      try {
        if (!kms.unwrap(w.cmkId(), w.blob(), w.context()).sameKeyAs(w.key())) {
          failures.add(w.cmkId() + " v" + version + " " + w.context() + ": different key");
        }
      } catch (IntegrityException | RuntimeException e) {
        failures.add(w.cmkId() + " v" + version + " " + w.context() + ": " + e);
      }
    }
    assertThat(failures).isEmpty();
  }

  static long count(HikariDataSource ds, String table) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  static List<Long> ektGenerations(HikariDataSource ds, String prefix) {
    return longs(ds, "SELECT dk_generation FROM " + prefix + "ekt");
  }

  /** The DK generation each CMK row's MAC is keyed under. */
  static List<Long> macGenerations(HikariDataSource ds, String prefix) {
    return longs(ds, "SELECT mac_generation FROM " + prefix + "cmk");
  }

  static List<Long> longs(HikariDataSource ds, String query) {
    List<Long> values = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return values;
  }
}
