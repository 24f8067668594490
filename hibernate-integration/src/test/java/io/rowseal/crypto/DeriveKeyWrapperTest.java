package io.rowseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeriveKeyWrapperTest {
  private final DeriveKeyWrapper wrapper = new DeriveKeyWrapper("test/label", RandomSource.secure());
  private final KeyMaterial parent = KeyMaterial.random256Of(RandomSource.secure());
  private final KeyMaterial child = KeyMaterial.random256Of(RandomSource.secure());
  private final byte[] aad = "context".getBytes();

  @Test
  void unwrap_ofWrap_givesChildBack() throws Exception {
    byte[] wrapped = wrapper.wrap(parent, child, aad);
    assertThat(wrapped).hasSize(DeriveKeyWrapper.WRAPPED_256_LENGTH);
    assertThat(wrapper.unwrap(parent, wrapped, aad).sameKeyAs(child)).isTrue();
  }

  @Test
  void wrap_sameChildTwice_freshNonceAndCiphertextEachTime() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(HexFormat.of().formatHex(wrapper.wrap(parent, child, aad)))).isTrue();
    }
  }

  @Test
  void unwrap_anyByteFlipped_integrityException() {
    byte[] wrapped = wrapper.wrap(parent, child, aad);
    for (int i = 0; i < wrapped.length; i++) {
      byte[] t = wrapped.clone();
      t[i] ^= 0x01;
      assertThatThrownBy(() -> wrapper.unwrap(parent, t, aad)).isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void unwrap_otherAadOrLabelOrParent_integrityException() {
    byte[] wrapped = wrapper.wrap(parent, child, aad);
    assertThatThrownBy(() -> wrapper.unwrap(parent, wrapped, "other".getBytes()))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> new DeriveKeyWrapper("other/label", RandomSource.secure()).unwrap(parent, wrapped, aad))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> wrapper.unwrap(KeyMaterial.random256Of(RandomSource.secure()), wrapped, aad))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void keyMaterial_destroyWhileLeased_zeroesOnlyAfterRelease() {
    KeyMaterial k = KeyMaterial.copyOf(new byte[] {1, 2, 3});
    KeyMaterial.Lease lease = k.lease();
    k.destroy();
    assertThat(lease.bytes()).containsExactly(1, 2, 3);
    assertThatThrownBy(k::lease).isInstanceOf(DestroyedKeyException.class);
    lease.close();
    assertThat(lease.bytes()).containsExactly(0, 0, 0);
    assertThat(k.toString()).doesNotContain("1, 2, 3").contains("redacted");
  }
}
