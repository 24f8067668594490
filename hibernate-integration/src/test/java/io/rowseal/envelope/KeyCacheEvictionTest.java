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
    envelope.decrypt(a, "T.v");
    AesGcmKey first = envelope.rowKeys.cache.asMap().values().iterator().next();
    envelope.decrypt(b, "T.v");
    envelope.rowKeys.cache.cleanUp();
    assertThat(envelope.rowKeys.cache.estimatedSize()).isEqualTo(1);
    assertThat(first.isDestroyed()).isTrue();
    assertThatThrownBy(first.key()::lease).isInstanceOf(DestroyedKeyException.class);
    assertThat(envelope.decrypt(a, "T.v")).isEqualTo(bytes("a"));
    assertThat(envelope.metrics().dekMisses()).isEqualTo(3);
  }

  @Test
  void close_destroysEveryCachedDek() throws Exception {
    Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
        .branchKeyStore(new InMemoryBranchKeyStore()).build();
    envelope.decrypt(envelope.encrypt(bytes("a"), "T.v"), "T.v");
    AesGcmKey dek = envelope.rowKeys.cache.asMap().values().iterator().next();
    envelope.close();
    assertThat(dek.isDestroyed()).isTrue();
  }
}
