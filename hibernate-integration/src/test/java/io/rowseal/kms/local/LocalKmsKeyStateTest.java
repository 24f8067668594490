package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CMK lifecycle: each state refuses exactly the operations AWS KMS refuses, with the state named. */
class LocalKmsKeyStateTest {
  private static final EncryptionContext CTX = EncryptionContext.of(Map.of("tenant", "acme"));
  private static final Duration WEEK = Duration.ofDays(7);
  private static final MutableClock CLOCK = MutableClock.startingAt("2025-03-01T00:00:00Z");
  private static HikariDataSource ds;
  private static KeyStore keyStore;
  private static LocalKms kms;

  /** A CMK in its state, and a blob it wrapped while it was enabled, with the key the blob holds. */
  record Subject(String cmkId, byte[] blob, KeyMaterial key) {}

  @BeforeAll
  static void start() {
    ds = TestDatabase.H2.dataSource();
    keyStore = LocalKmsTesting.emptyKeyStore();
    kms = LocalKmsTesting.builder(ds, keyStore, "rowseal_kms_", CLOCK).build();
  }

  @AfterAll
  static void stop() {
    kms.close();
    ds.close();
  }

  static Stream<Arguments> matrix() {
    Map<String, BiConsumer<LocalKms, Subject>> ops = Map.of(
        "generateDataKey", (k, s) -> k.generateDataKey(s.cmkId(), CTX),
        "wrap", (k, s) -> k.wrap(s.cmkId(), KeyMaterial.random256Of(RandomSource.secure()), CTX),
        "unwrap", (k, s) -> unwrap(k, s),
        "rotateKey", (k, s) -> k.rotateKey(s.cmkId()),
        "enableKey", (k, s) -> k.enableKey(s.cmkId()),
        "disableKey", (k, s) -> k.disableKey(s.cmkId()),
        "scheduleDeletion", (k, s) -> k.scheduleDeletion(s.cmkId(), WEEK),
        "cancelKeyDeletion", (k, s) -> k.cancelKeyDeletion(s.cmkId()),
        "describe", (k, s) -> k.describe(s.cmkId()));
    // Which operations each state allows; every other one must be refused with InvalidKeyState.
    Map<KeyState, List<String>> allowed = Map.of(
        KeyState.ENABLED, List.of("generateDataKey", "wrap", "unwrap", "rotateKey", "enableKey",
            "disableKey", "scheduleDeletion", "describe"),
        KeyState.DISABLED, List.of("enableKey", "disableKey", "scheduleDeletion", "describe"),
        KeyState.PENDING_DELETION, List.of("cancelKeyDeletion", "describe"),
        KeyState.DESTROYED, List.of("describe"));
    return allowed.entrySet().stream().flatMap(e -> ops.entrySet().stream().map(op ->
        Arguments.of(e.getKey(), op.getKey(), op.getValue(), e.getValue().contains(op.getKey()))));
  }

  @ParameterizedTest(name = "{0} {1} allowed={3}")
  @MethodSource("matrix")
  void operation_inEachState_isAllowedOrRefusedWithInvalidKeyState(KeyState state, String name,
      BiConsumer<LocalKms, Subject> op, boolean allowed) {
    Subject subject = subjectIn(state);
    if (allowed) {
      op.accept(kms, subject);
    } else {
      assertThatThrownBy(() -> op.accept(kms, subject))
          .isInstanceOfSatisfying(KmsException.InvalidKeyState.class, e -> {
            assertThat(e.state()).isEqualTo(state);
            assertThat(e.code()).isEqualTo("RS-2002");
            assertThat(e.getMessage()).contains(subject.cmkId(), state.name(), "refused");
          });
    }
  }

  @Test
  void unwrap_afterWaitingPeriodOnFakeClock_saysDestroyedAndEktsAreGone() {
    Subject s = subjectIn(KeyState.ENABLED);
    KeyMetadata pending = kms.scheduleDeletion(s.cmkId(), WEEK);
    assertThat(pending.deletionDate()).isEqualTo(CLOCK.instant().plus(WEEK));
    CLOCK.advance(WEEK.minusSeconds(1));
    kms.runMaintenance();
    assertThat(kms.describe(s.cmkId()).state()).isEqualTo(KeyState.PENDING_DELETION);
    CLOCK.advance(Duration.ofSeconds(1));
    kms.runMaintenance();
    assertThatThrownBy(() -> kms.unwrap(s.cmkId(), s.blob(), CTX))
        .isInstanceOf(KmsException.InvalidKeyState.class)
        .hasMessageContaining("is DESTROYED: unwrap refused (its key material was destroyed");
    assertThat(LocalKmsDurabilityTest.count(ds, "rowseal_kms_ekt WHERE cmk_id = '" + s.cmkId() + "'")).isZero();
    try (LocalKms restarted = LocalKmsTesting.builder(ds, keyStore, "rowseal_kms_", CLOCK).build()) {
      assertThat(restarted.describe(s.cmkId()).state()).isEqualTo(KeyState.DESTROYED);
    }
  }

  @Test
  void cancelKeyDeletion_pendingKey_becomesDisabledAndEnableRestoresEverything() throws IntegrityException {
    Subject s = subjectIn(KeyState.PENDING_DELETION);
    assertThat(kms.cancelKeyDeletion(s.cmkId()).state()).isEqualTo(KeyState.DISABLED);
    assertThat(kms.enableKey(s.cmkId()).deletionDate()).isNull();
    assertThat(kms.unwrap(s.cmkId(), s.blob(), CTX).sameKeyAs(s.key())).isTrue();
  }

  @Test
  void scheduleDeletion_waitingPeriodOutside7To30Days_isRejected() {
    String id = kms.createKey("bounds").cmkId();
    assertThatThrownBy(() -> kms.scheduleDeletion(id, Duration.ofDays(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("waiting period must be between 7 and 30 days, was PT144H");
    assertThatThrownBy(() -> kms.scheduleDeletion(id, Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(kms.scheduleDeletion(id, Duration.ofDays(30)).state()).isEqualTo(KeyState.PENDING_DELETION);
  }

  @Test
  void anyOperation_unknownCmk_throwsKeyNotFound() {
    assertThatThrownBy(() -> kms.wrap("cmk-nope", KeyMaterial.random256Of(RandomSource.secure()), CTX))
        .isInstanceOf(KmsException.KeyNotFound.class)
        .hasMessage("RS-2001: CMK 'cmk-nope' does not exist");
    assertThatThrownBy(() -> kms.describe("cmk-nope")).isInstanceOf(KmsException.KeyNotFound.class);
  }

  @Test
  void rotateKey_enabledKey_newWrapsUseNewestVersionAndOldBlobsStillUnwrap() throws IntegrityException {
    String id = kms.createKey("rotating").cmkId();
    DataKey v1 = kms.generateDataKey(id, CTX);
    assertThat(kms.rotateKey(id).currentVersion()).isEqualTo(2);
    assertThat(kms.rotateKey(id).currentVersion()).isEqualTo(3);
    DataKey v3 = kms.generateDataKey(id, CTX);
    assertThat(ByteBuffer.wrap(v1.wrapped(), 1, 4).getInt()).isEqualTo(1);
    assertThat(ByteBuffer.wrap(v3.wrapped(), 1, 4).getInt()).isEqualTo(3);
    assertThat(kms.unwrap(id, v1.wrapped(), CTX).sameKeyAs(v1.plaintext())).isTrue();
    assertThat(kms.unwrap(id, v3.wrapped(), CTX).sameKeyAs(v3.plaintext())).isTrue();
  }

  @Test
  void unwrap_otherContextOrTamperedBlob_throwsIntegrityException() {
    Subject s = subjectIn(KeyState.ENABLED);
    assertThatThrownBy(() -> kms.unwrap(s.cmkId(), s.blob(), EncryptionContext.of(Map.of("tenant", "evil"))))
        .isInstanceOf(IntegrityException.class);
    for (int i = 0; i < s.blob().length; i++) {
      byte[] tampered = s.blob().clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> kms.unwrap(s.cmkId(), tampered, CTX)).as("byte %d", i)
          .isInstanceOf(IntegrityException.class);
    }
  }

  private static Subject subjectIn(KeyState state) {
    String id = kms.createKey("in " + state).cmkId();
    DataKey dataKey = kms.generateDataKey(id, CTX);
    switch (state) {
      case ENABLED -> { }
      case DISABLED -> kms.disableKey(id);
      case PENDING_DELETION -> kms.scheduleDeletion(id, WEEK);
      case DESTROYED -> {
        kms.scheduleDeletion(id, WEEK);
        CLOCK.advance(WEEK);
        kms.runMaintenance();
      }
    }
    assertThat(kms.describe(id).state()).isEqualTo(state);
    return new Subject(id, dataKey.wrapped(), dataKey.plaintext());
  }

  private static void unwrap(LocalKms k, Subject s) {
    try {
      assertThat(k.unwrap(s.cmkId(), s.blob(), CTX).sameKeyAs(s.key())).as("unwrapped key").isTrue();
    } catch (IntegrityException e) {
      throw new AssertionError(e);
    }
  }
}
