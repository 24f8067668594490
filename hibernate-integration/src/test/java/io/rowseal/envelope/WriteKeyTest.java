package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Row writes remember the ACTIVE branch-key version and its plaintext for {@link BranchKeyCache#WRITE_KEY_NANOS}
 * ({@code BranchKeyCache#knownWriteKey}); whatever changes what is ACTIVE or cached ends that at once, and
 * a tenant's key is never remembered for the envelope's own.
 */
class WriteKeyTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T12:00:00Z"));
  private final InstantSource clock = now::get;
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();

  private Envelope envelope() {
    return Envelope.builder().cmkProvider(kms).branchKeyStore(store).branchKeyTtl(TTL).clock(clock).build();
  }

  private void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  private static int version(byte[] value) throws Exception {
    return ValueFormat.parse(value).ref().version();
  }

  @Test
  void aWriteRemembersTheActiveVersion_forAtMostItsTime() throws Exception {
    Envelope envelope = envelope();
    assertThat(envelope.branchKeys.knownWriteKey()).isNull();
    envelope.encrypt(bytes("a"), "T.v");
    BranchKeyCache.WriteKey known = envelope.branchKeys.knownWriteKey();
    assertThat(known).isNotNull();
    assertThat(known.ref().version()).isEqualTo(1);
    long hits = envelope.metrics().branchKeyHits();
    envelope.encrypt(bytes("b"), "T.v");
    assertThat(envelope.metrics().branchKeyHits()).as("a remembered key counts as a hit").isGreaterThan(hits);

    advance(Duration.ofNanos(BranchKeyCache.WRITE_KEY_NANOS));
    assertThat(envelope.branchKeys.knownWriteKey()).isNull();
    envelope.encrypt(bytes("c"), "T.v");
    assertThat(envelope.branchKeys.knownWriteKey()).isNotNull();
  }

  @Test
  void rotationDestructionAndClose_endItAtOnce() throws Exception {
    Envelope envelope = envelope();
    envelope.encrypt(bytes("a"), "T.v");
    BranchKeyRef v2 = envelope.rotateBranchKey();
    assertThat(envelope.branchKeys.knownWriteKey()).isNull();
    assertThat(version(envelope.encrypt(bytes("b"), "T.v"))).isEqualTo(v2.version());
    assertThat(envelope.branchKeys.knownWriteKey().ref()).isEqualTo(v2);

    envelope.rotateBranchKey();
    envelope.encrypt(bytes("c"), "T.v");
    envelope.destroyBranchKeyVersion(v2);
    assertThat(envelope.branchKeys.knownWriteKey()).as("after destroying a version").isNull();
    assertThat(version(envelope.encrypt(bytes("d"), "T.v"))).isEqualTo(3);

    envelope.close();
    assertThat(envelope.branchKeys.knownWriteKey()).as("after close").isNull();
  }

  @Test
  void aKeyTheCacheDestroyed_isNotUsed() throws Exception {
    Envelope envelope = envelope();
    envelope.encrypt(bytes("a"), "T.v");
    BranchKeyCache.WriteKey known = envelope.branchKeys.knownWriteKey();
    known.key().destroy(); // as the cache does to a key it evicts or lets expire
    assertThat(envelope.branchKeys.knownWriteKey()).isNull();
  }

  @Test
  void anotherProcessRotation_isFollowedOnceTheActiveRefreshIsDue() throws Exception {
    Envelope mine = envelope();
    Envelope other = envelope();
    assertThat(version(mine.encrypt(bytes("a"), "T.v"))).isEqualTo(1);
    other.rotateBranchKey();
    assertThat(version(mine.encrypt(bytes("b"), "T.v"))).as("before the refresh is due").isEqualTo(1);
    advance(TTL.dividedBy(5).plusSeconds(1));
    int seen = 0;
    for (int i = 0; i < 200 && seen != 2; i++) { // the refresh reloads in the background
      seen = version(mine.encrypt(bytes("c"), "T.v"));
      if (seen != 2) {
        Thread.sleep(10);
        advance(Duration.ofNanos(BranchKeyCache.WRITE_KEY_NANOS));
      }
    }
    assertThat(seen).isEqualTo(2);
  }

  @Test
  void aTenantsKey_isNeverRememberedForTheEnvelopesOwn() throws Exception {
    Envelope envelope = envelope();
    try (RowEncryptor row = envelope.beginRow("tenant-7")) {
      row.encrypt(bytes("t"), "T.v");
    }
    assertThat(envelope.branchKeys.knownWriteKey()).isNull();
    byte[] own = envelope.encrypt(bytes("o"), "T.v");
    assertThat(Envelope.branchKeyOf(own).keyId()).isEqualTo("default");
  }
}
