package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Values naming a branch key the store does not hold (or no longer holds) cost one store read, not one each. */
class UnknownBranchKeyTest {
  private static final int VERSION_AT = 3 + "default".length();
  private final CountingStore store = new CountingStore();
  private final Envelope envelope = Envelope.builder().cmkProvider(new InMemoryCmkProvider())
      .branchKeyStore(store).build();

  @Test
  void decrypt_thousandValuesNamingOneUnknownVersion_readTheStoreOnce() throws Exception {
    List<byte[]> forged = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) { // each its own row write, so each its own N
      forged.add(withVersion(envelope.encrypt(bytes("v" + i), "T.v"), 7));
    }
    store.finds.set(0);
    for (byte[] value : forged) {
      assertThatThrownBy(() -> envelope.decrypt(value, "T.v"))
          .isInstanceOf(IntegrityException.class)
          .hasMessage("RS-1003: value names branch key default#7, which the key store does not hold");
    }
    assertThat(store.finds.get()).isEqualTo(1);
  }

  @Test
  void decrypt_valuesUnderDestroyedVersion_readTheStoreOnce() throws Exception {
    List<byte[]> old = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      old.add(envelope.encrypt(bytes("v" + i), "T.v"));
    }
    envelope.rotateBranchKey();
    envelope.destroyBranchKeyVersion(1);
    store.finds.set(0);
    for (byte[] value : old) {
      assertThatThrownBy(() -> envelope.decrypt(value, "T.v"))
          .isInstanceOf(KeyDestroyedException.class).hasMessageStartingWith("RS-1004: branch key default#1");
    }
    assertThat(store.finds.get()).isEqualTo(1);
  }

  @Test
  void rotateBranchKey_toAVersionRememberedAsUnknown_valuesUnderItDecrypt() throws Exception {
    byte[] forged = withVersion(envelope.encrypt(bytes("x"), "T.v"), 2);
    assertThatThrownBy(() -> envelope.decrypt(forged, "T.v")).hasMessageStartingWith("RS-1003");
    assertThat(envelope.rotateBranchKey()).isEqualTo(new BranchKeyRef("default", 2));
    byte[] real = envelope.encrypt(bytes("y"), "T.v");
    assertThat(envelope.decrypt(real, "T.v")).isEqualTo(bytes("y"));
  }

  private static byte[] withVersion(byte[] value, int version) {
    byte[] t = value.clone();
    ByteBuffer.wrap(t, VERSION_AT, 4).putInt(version);
    return t;
  }

  /** Counts {@link #find} calls: the per-value key-store read. */
  static final class CountingStore implements BranchKeyStore {
    final AtomicInteger finds = new AtomicInteger();
    private final InMemoryBranchKeyStore delegate = new InMemoryBranchKeyStore();

    @Override
    public Optional<BranchKeyRecord> findActive(String keyId) {
      return delegate.findActive(keyId);
    }

    @Override
    public Optional<BranchKeyRecord> find(BranchKeyRef ref) {
      finds.incrementAndGet();
      return delegate.find(ref);
    }

    @Override
    public List<BranchKeyRecord> versions(String keyId) {
      return delegate.versions(keyId);
    }

    @Override
    public BranchKeyRecord createIfAbsent(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrap) {
      return delegate.createIfAbsent(keyId, cmkId, wrap);
    }

    @Override
    public BranchKeyRecord rotate(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrap) {
      return delegate.rotate(keyId, cmkId, wrap);
    }

    @Override
    public void destroy(BranchKeyRef ref) {
      delegate.destroy(ref);
    }
  }
}
