package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.crypto.DestroyedKeyException;
import io.rowseal.crypto.AesGcmKey;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import org.junit.jupiter.api.Test;

class KeyCacheEvictionTest {

  @Test
  void dekCache_evictedKey_isDestroyedAndValueStillDecrypts() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).dekCacheMaxSize(1).build();
    byte[] a = envelope.encrypt(bytes("a"), "T.v");
    byte[] b = envelope.encrypt(bytes("b"), "T.v");
    // each key is cached on its second sight; the values read between are seen once, never cached
    readTwice(envelope, a, envelope.encrypt(bytes("x"), "T.v"));
    AesGcmKey first = envelope.rowKeys.cache.asMap().values().iterator().next();
    readTwice(envelope, b, envelope.encrypt(bytes("y"), "T.v"));
    envelope.rowKeys.cache.cleanUp();
    assertThat(envelope.rowKeys.cache.estimatedSize()).isEqualTo(1);
    assertThat(first.isDestroyed()).isTrue();
    assertThatThrownBy(first.key()::lease).isInstanceOf(DestroyedKeyException.class);
    assertThat(envelope.decrypt(a, "T.v")).isEqualTo(bytes("a"));
    assertThat(envelope.metrics().dekEvictions()).isEqualTo(1);
  }

  @Test
  void dekCache_keySeenOnce_isNotCachedButSecondSightIs() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    byte[] a = envelope.encrypt(bytes("a"), "T.v");
    byte[] other = envelope.encrypt(bytes("o"), "T.v");

    envelope.decrypt(a, "T.v");
    assertThat(envelope.rowKeys.cache.asMap()).isEmpty();
    envelope.decrypt(other, "T.v");
    envelope.decrypt(a, "T.v");
    assertThat(envelope.rowKeys.cache.asMap()).containsOnlyKeys(DekId.ofValue(a));
    envelope.decrypt(other, "T.v");
    envelope.decrypt(a, "T.v");

    assertThat(envelope.metrics().dekMisses()).as("a twice, other twice").isEqualTo(4);
    assertThat(envelope.metrics().dekHits()).isEqualTo(1);
  }

  @Test
  void retiredKey_isDestroyedWhenItsThreadReadsAnotherRow() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    byte[] first = envelope.encrypt(bytes("first"), "T.v");
    byte[] second = envelope.encrypt(bytes("second"), "T.v");

    envelope.decrypt(first, "T.v");
    AesGcmKey firstKey = envelope.rowKeys.last().dek;
    assertThat(firstKey.isDestroyed()).isFalse();
    envelope.decrypt(second, "T.v");

    assertThat(firstKey.isDestroyed()).as("read once, and its thread moved on").isTrue();
    assertThat(envelope.decrypt(first, "T.v")).isEqualTo(bytes("first"));
  }

  @Test
  void retiredKeys_ofAThreadThatStopped_areDestroyedAfterLaterRetirementsAndAtClose() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    byte[][] values = new byte[RowKeys.Retired.SLOTS + 1][];
    for (int i = 0; i < values.length; i++) {
      values[i] = envelope.encrypt(bytes("v" + i), "T.v");
    }
    AesGcmKey[] stopped = new AesGcmKey[1];
    Thread reader = new Thread(() -> {
      try {
        envelope.decrypt(values[0], "T.v");
        stopped[0] = envelope.rowKeys.last().dek;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    reader.start();
    reader.join();

    for (int i = 1; i < RowKeys.Retired.SLOTS; i++) {
      envelope.decrypt(values[i], "T.v");
    }
    assertThat(stopped[0].isDestroyed()).as("%d retirements later", RowKeys.Retired.SLOTS - 1).isFalse();
    envelope.decrypt(values[RowKeys.Retired.SLOTS], "T.v");
    assertThat(stopped[0].isDestroyed()).as("%d retirements later", RowKeys.Retired.SLOTS).isTrue();

    AesGcmKey lastRetired = envelope.rowKeys.last().dek;
    envelope.close();
    assertThat(lastRetired.isDestroyed()).isTrue();
  }

  private static void readTwice(Envelope envelope, byte[] value, byte[] between) throws Exception {
    envelope.decrypt(value, "T.v");
    envelope.decrypt(between, "T.v");
    envelope.decrypt(value, "T.v");
  }

  @Test
  void close_destroysEveryCachedDek() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    readTwice(envelope, envelope.encrypt(bytes("a"), "T.v"), envelope.encrypt(bytes("b"), "T.v"));
    AesGcmKey dek = envelope.rowKeys.cache.asMap().values().iterator().next();
    envelope.close();
    assertThat(dek.isDestroyed()).isTrue();
  }
}
