package io.rowseal.kms.local;

import static io.rowseal.kms.local.LocalKmsDurabilityTest.assertUnwrapAll;
import static io.rowseal.kms.local.LocalKmsDurabilityTest.count;
import static io.rowseal.kms.local.LocalKmsDurabilityTest.ektGenerations;
import static io.rowseal.kms.local.LocalKmsDurabilityTest.generate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.LocalKmsDurabilityTest.Written;
import io.rowseal.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several LocalKms on one set of tables, as an application and its migration job run (docs/KMS.md,
 * "Several application instances"): each holds its own image, in this JVM as in two; none overwrites a
 * change it has not seen, none writes under a domain key another one retires, and a CMK or version made
 * by the other is found on first use. The same in two JVMs: {@link LocalKmsSharedTablesForkedTest}.
 */
class LocalKmsSharedTablesTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("a CMK and a CMK version made by another process are found on first use, and the next version follows them")
  void cmkAndVersionMadeElsewhere_foundOnFirstUse_nextVersionFollows(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().build(); LocalKms b = t.builder().build()) {
      List<Written> written = new ArrayList<>();
      String id = a.createKey("shared").cmkId();
      written.add(generate(a, id, 1));
      assertUnwrapAll(b, written);

      assertThat(b.rotateKey(id).currentVersion()).isEqualTo(2);
      written.add(generate(b, id, 2));
      assertUnwrapAll(a, written);
      assertThat(a.rotateKey(id).currentVersion()).isEqualTo(3);
      written.add(generate(a, id, 3));
      assertUnwrapAll(b, written);

      try (LocalKms restarted = t.builder().build()) {
        assertThat(restarted.describe(id).currentVersion()).isEqualTo(3);
        assertUnwrapAll(restarted, written);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("invariant 6: a domain key rotated by one process: the other keeps serving, writes only under the new key, and nothing is lost")
  void domainKeyRotatedElsewhere_otherKeepsServingAndWritesUnderNewKey(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().build(); LocalKms b = t.builder().build()) {
      List<Written> written = new ArrayList<>();
      String id = a.createKey("shared").cmkId();
      written.add(generate(b, id, 1));

      assertThat(a.rotateDomainKey()).isEqualTo(2);
      assertThat(count(t.ds, t.prefix + "domain_token")).isEqualTo(1);
      written.add(generate(b, id, 2));
      assertUnwrapAll(b, written);
      String second = b.createKey("made after the other rotated").cmkId();
      written.add(generate(b, second, 3));
      assertThat(b.domainKeyGeneration()).isEqualTo(2);
      assertThat(ektGenerations(t.ds, t.prefix)).containsOnly(2L);

      assertThat(b.rotateDomainKey()).isEqualTo(3);
      assertThat(a.rotateKey(id).currentVersion()).isEqualTo(2);
      written.add(generate(a, id, 4));
      assertThat(a.domainKeyGeneration()).isEqualTo(3);
      assertThat(ektGenerations(t.ds, t.prefix)).containsOnly(3L);
      assertThat(count(t.ds, t.prefix + "domain_token")).isEqualTo(1);
      assertUnwrapAll(a, written);
      assertUnwrapAll(b, written);

      try (LocalKms restarted = t.builder().build()) {
        assertThat(restarted.domainKeyGeneration()).isEqualTo(3);
        assertUnwrapAll(restarted, written);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("a rotation due in two processes is made once: the second finds the first's key current")
  void rotationDueInBoth_madeOnce(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().build(); LocalKms b = t.builder().build()) {
      String id = a.createKey("shared").cmkId();
      List<Written> written = new ArrayList<>(List.of(generate(a, id, 1)));
      t.clock.advance(LocalKmsBuilder.DEFAULT_DOMAIN_KEY_ROTATION.plusMinutes(1));

      a.runMaintenance();
      b.runMaintenance();

      assertThat(a.domainKeyGeneration()).isEqualTo(2);
      assertThat(b.domainKeyGeneration()).isEqualTo(2);
      assertThat(LocalKmsDurabilityTest.longs(t.ds, "SELECT generation FROM " + t.prefix + "domain_token"))
          .containsExactly(2L);
      written.add(generate(b, id, 2));
      assertUnwrapAll(a, written);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("a deletion scheduled by one process is not undone by another that had not seen it")
  void deletionScheduledElsewhere_notOverwrittenByStaleDisable(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().build(); LocalKms b = t.builder().build()) {
      String id = a.createKey("shared").cmkId();
      assertThat(b.describe(id).state()).isEqualTo(KeyState.ENABLED);

      a.scheduleDeletion(id, LocalKms.MIN_DELETION_WAITING_PERIOD);

      assertThatThrownBy(() -> b.disableKey(id)).isInstanceOf(KmsException.InvalidKeyState.class)
          .hasMessageContaining(id).hasMessageContaining("PENDING_DELETION");
      assertThat(b.describe(id).state()).isEqualTo(KeyState.PENDING_DELETION);
      try (LocalKms restarted = t.builder().build()) {
        assertThat(restarted.describe(id).state()).isEqualTo(KeyState.PENDING_DELETION);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("tables that went back (a CMK version removed) are refused on reload, and the image that still serves it is kept")
  void tablesWentBack_reloadRefused_imageKept(TestDatabase db) {
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().build(); LocalKms b = t.builder().build()) {
      String id = a.createKey("shared").cmkId();
      a.rotateKey(id);
      List<Written> written = List.of(generate(b, id, 1));
      assertThat(b.describe(id).currentVersion()).isEqualTo(2);

      assertThat(t.execute("DELETE FROM %sekt WHERE cmk_version = 2")).isEqualTo(1);

      assertThatThrownBy(b::runMaintenance).isInstanceOf(KmsException.class)
          .hasMessageContaining("RS-2013").hasMessageContaining(id).hasMessageContaining("went back");
      assertUnwrapAll(b, written);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("invariant 6: two processes rotating the domain key and a CMK at once while both wrap and unwrap: every rotation counted once, nothing lost")
  void concurrentRotationsInTwoProcesses_eachCountedOnce_nothingLost(TestDatabase db) throws Exception {
    int rotations = 3;
    // The users below write and unwrap as fast as they can for as long as the rotations take (thousands of requests
    // on a slow database), then everything is unwrapped again three times: the simulated request quota is not what
    // this test is about, so it is lifted (CI once saw RS-2003 on the final unwrap-all).
    int noQuota = Integer.MAX_VALUE;
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db);
        LocalKms a = t.builder().quota(noQuota).build(); LocalKms b = t.builder().quota(noQuota).build()) {
      String id = a.createKey("shared").cmkId();
      List<Written> written = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean rotating = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<?>> rotators = new ArrayList<>();
        for (LocalKms kms : List.of(a, b)) {
          rotators.add(pool.submit(times(rotations, kms::rotateDomainKey)));
          rotators.add(pool.submit(times(rotations, () -> kms.rotateKey(id))));
        }
        List<Future<?>> users = new ArrayList<>();
        for (LocalKms kms : List.of(a, b)) {
          users.add(pool.submit(() -> {
            for (int n = 0; rotating.get() || n < 2; n++) {
              written.add(generate(kms, id, n));
              List<Written> all = List.copyOf(written);
              assertUnwrapAll(kms, all.subList(Math.max(0, all.size() - 4), all.size()));
            }
            return null;
          }));
        }
        for (Future<?> f : rotators) {
          f.get(5, TimeUnit.MINUTES);
        }
        rotating.set(false);
        for (Future<?> f : users) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }

      long generation = 1 + 2L * rotations;
      assertThat(LocalKmsDurabilityTest.longs(t.ds, "SELECT generation FROM " + t.prefix + "domain_token"))
          .containsExactly(generation);
      assertThat(ektGenerations(t.ds, t.prefix)).hasSize(1 + 2 * rotations).containsOnly(generation);
      try (LocalKms restarted = t.builder().quota(noQuota).build()) {
        assertThat(restarted.domainKeyGeneration()).isEqualTo(generation);
        assertThat(restarted.describe(id).currentVersion()).isEqualTo(1 + 2 * rotations);
        assertUnwrapAll(restarted, written);
      }
      assertUnwrapAll(a, written);
      assertUnwrapAll(b, written);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("two processes starting at once on fresh tables with one keystore file: one domain, and both serve it")
  void twoStartsAtOnce_freshTables_oneDomainBothServe(TestDatabase db, @TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("localkms.p12");
    try (LocalKmsTesting.Tables t = new LocalKmsTesting.Tables(db)) {
      CountDownLatch go = new CountDownLatch(1);
      Callable<LocalKms> start = () -> {
        go.await();
        LocalKmsBuilder builder = LocalKms.builder().dataSource(t.ds).keystore(keystore)
            .passphrase(LocalKmsTesting.PASSPHRASE).tablePrefix(t.prefix).clock(t.clock);
        builder.maintenanceInterval = null;
        return builder.build();
      };
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<LocalKms> first = pool.submit(start);
        Future<LocalKms> second = pool.submit(start);
        go.countDown();
        try (LocalKms a = first.get(2, TimeUnit.MINUTES); LocalKms b = second.get(2, TimeUnit.MINUTES)) {
          assertThat(count(t.ds, t.prefix + "hsm")).isEqualTo(LocalKmsBuilder.DEFAULT_HSM_COUNT);
          assertThat(LocalKmsDurabilityTest.longs(t.ds, "SELECT generation FROM " + t.prefix + "domain_token"))
              .containsExactly(1L);
          String fromA = a.createKey("a").cmkId();
          String fromB = b.createKey("b").cmkId();
          List<Written> written = List.of(generate(a, fromA, 1), generate(b, fromB, 2));
          assertUnwrapAll(a, written);
          assertUnwrapAll(b, written);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static Callable<Void> times(int n, Runnable r) {
    return () -> {
      for (int i = 0; i < n; i++) {
        r.run();
      }
      return null;
    };
  }
}
