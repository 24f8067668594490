package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class KeyTokenTest {
  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final byte[] AAD = {9, 9};
  private final SortedMap<Integer, KeyPair> pairs = DomainTokenTest.keyPairs(1);
  private final Hsm hsm = new Hsm(0, pairs.get(0).getPrivate(), DomainTokenTest.publicKeys(pairs), RandomSource.secure());
  private final KeyToken.Binding binding = new KeyToken.Binding("cmk-a", 1, CREATED);
  private final KeyMaterial child = KeyMaterial.random256Of(RandomSource.secure());

  KeyTokenTest() {
    hsm.issueDomainToken(1, CREATED);
  }

  @Test
  void createKeyToken_anyCmk_hasDocumentedLayout() throws IntegrityException {
    byte[] ekt = hsm.createKeyToken(binding, 1);
    assertThat(ekt).hasSize(KeyToken.LENGTH).hasSize(69);
    assertThat(ekt[0]).isEqualTo(KeyToken.VERSION);
    assertThat(KeyToken.generation(ekt, binding)).isEqualTo(1);
  }

  @Test
  void wrap_ektTamperedAtEveryByte_throwsIntegrityException() throws IntegrityException {
    byte[] ekt = hsm.createKeyToken(binding, 1);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < ekt.length; i++) {
      byte[] tampered = ekt.clone();
      tampered[i] ^= 0x01;
      try {
        hsm.wrap(tampered, binding, child, AAD);
        accepted.add("byte " + i);
      } catch (IntegrityException expected) {
        assertThat(expected).hasMessage("key token of CMK 'cmk-a' version 1 does not verify");
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void unwrap_ektBoundToOtherIdVersionOrDate_throwsIntegrityException() throws IntegrityException {
    byte[] ekt = hsm.createKeyToken(binding, 1);
    byte[] wrapped = hsm.wrap(ekt, binding, child, AAD);
    for (KeyToken.Binding other : List.of(new KeyToken.Binding("cmk-b", 1, CREATED),
        new KeyToken.Binding("cmk-a", 2, CREATED), new KeyToken.Binding("cmk-a", 1, CREATED.plusMillis(1)))) {
      assertThatThrownBy(() -> hsm.unwrap(ekt, other, wrapped, 0, wrapped.length, AAD))
          .isInstanceOf(IntegrityException.class);
    }
    assertThat(hsm.unwrap(ekt, binding, wrapped, 0, wrapped.length, AAD).sameKeyAs(child)).isTrue();
  }

  @Test
  void resealKeyToken_toNewGeneration_keepsTheSameCmk() throws IntegrityException {
    byte[] ekt = hsm.createKeyToken(binding, 1);
    byte[] wrapped = hsm.wrap(ekt, binding, child, AAD);
    hsm.issueDomainToken(2, CREATED.plusSeconds(86_400));
    byte[] resealed = hsm.resealKeyToken(ekt, binding, 2);
    hsm.forgetDomainKey(1);
    assertThat(KeyToken.generation(resealed, binding)).isEqualTo(2);
    assertThat(hsm.unwrap(resealed, binding, wrapped, 0, wrapped.length, AAD).sameKeyAs(child)).isTrue();
    assertThatThrownBy(() -> hsm.wrap(ekt, binding, child, AAD)).isInstanceOf(IntegrityException.class);
  }
}
