package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.kms.local.LocalKmsDurabilityTest.Written;
import io.rowseal.testing.StatementTrap;
import io.rowseal.testing.StatementTrap.When;
import io.rowseal.testing.TestDatabase;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database commits a write of LocalKms, but the connection drops before the commit is acknowledged
 * (the driver throws from {@code commit()}): the write took effect, and LocalKms must neither lose it nor
 * refuse to go on until a restart. A rotation whose new version, domain token or re-sealed EKT was
 * stored counts as done; the next rotation runs; every key unwraps, also after a restart.
 */
class LocalKmsLostCommitTest {
  private static final StatementTrap.Action CONNECTION_LOST = () -> {
    throw new SQLException("I/O error: the connection was lost", "08006");
  };

  private final MutableClock clock = MutableClock.startingAt("2025-01-01T00:00:00Z");
  private final KeyStore keyStore = LocalKmsTesting.emptyKeyStore();
  private final String prefix = LocalKmsTesting.uniquePrefix();

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("invariant 6: a CMK rotation whose commit was not acknowledged is done, and the CMK rotates again")
  void rotateKey_commitNotAcknowledged_isDoneAndRotatesAgainWithoutRestart(TestDatabase db) {
    try (HikariDataSource ds = db.dataSource()) {
      StatementTrap trap = new StatementTrap("INSERT INTO " + prefix + "ekt", When.AFTER_COMMIT, 1, CONNECTION_LOST);
      List<Written> written = new ArrayList<>();
      String id;
      try (LocalKms kms = LocalKmsTesting.builder(trap.wrap(ds), keyStore, prefix, clock).build()) {
        id = kms.createKey("k").cmkId();
        written.add(LocalKmsDurabilityTest.generate(kms, id, 1));
        trap.arm();

        assertThat(kms.rotateKey(id).currentVersion()).isEqualTo(2);
        assertThat(trap.sprung()).isTrue();
        written.add(LocalKmsDurabilityTest.generate(kms, id, 2));
        assertThat(kms.rotateKey(id).currentVersion()).isEqualTo(3);
        written.add(LocalKmsDurabilityTest.generate(kms, id, 3));
        LocalKmsDurabilityTest.assertUnwrapAll(kms, written);
      }
      try (LocalKms restarted = LocalKmsTesting.builder(ds, keyStore, prefix, clock).build()) {
        assertThat(restarted.describe(id).currentVersion()).isEqualTo(3);
        LocalKmsDurabilityTest.assertUnwrapAll(restarted, written);
      } finally {
        new KmsTables(ds, prefix).dropAll();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("invariant 6: a domain-key rotation whose token's commit was not acknowledged is done, and rotates again")
  void rotateDomainKey_tokenCommitNotAcknowledged_isDoneAndRotatesAgainWithoutRestart(TestDatabase db) {
    assertDomainKeyRotationSurvives(db, "INSERT INTO " + prefix + "domain_token");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("invariant 6: a domain-key rotation whose re-sealed EKT's commit was not acknowledged completes, and rotates again")
  void rotateDomainKey_resealCommitNotAcknowledged_completesAndRotatesAgainWithoutRestart(TestDatabase db) {
    assertDomainKeyRotationSurvives(db, "UPDATE " + prefix + "ekt SET ekt");
  }

  private void assertDomainKeyRotationSurvives(TestDatabase db, String statement) {
    try (HikariDataSource ds = db.dataSource()) {
      StatementTrap trap = new StatementTrap(statement, When.AFTER_COMMIT, 1, CONNECTION_LOST);
      List<Written> written = new ArrayList<>();
      try (LocalKms kms = LocalKmsTesting.builder(trap.wrap(ds), keyStore, prefix, clock).build()) {
        for (int i = 0; i < 3; i++) {
          String id = kms.createKey("k" + i).cmkId();
          written.add(LocalKmsDurabilityTest.generate(kms, id, i));
          kms.rotateKey(id);
          written.add(LocalKmsDurabilityTest.wrap(kms, id, i));
        }
        trap.arm();
        clock.advance(Duration.ofDays(1));

        assertThat(kms.rotateDomainKey()).isEqualTo(2);
        assertThat(trap.sprung()).isTrue();
        assertThat(LocalKmsDurabilityTest.ektGenerations(ds, prefix)).hasSize(6).containsOnly(2L);
        assertThat(LocalKmsDurabilityTest.count(ds, prefix + "domain_token")).isEqualTo(1);
        LocalKmsDurabilityTest.assertUnwrapAll(kms, written);
        assertThat(kms.rotateDomainKey()).isEqualTo(3);
        LocalKmsDurabilityTest.assertUnwrapAll(kms, written);
      }
      try (LocalKms restarted = LocalKmsTesting.builder(ds, keyStore, prefix, clock).build()) {
        assertThat(restarted.domainKeyGeneration()).isEqualTo(3);
        LocalKmsDurabilityTest.assertUnwrapAll(restarted, written);
      } finally {
        new KmsTables(ds, prefix).dropAll();
      }
    }
  }
}
