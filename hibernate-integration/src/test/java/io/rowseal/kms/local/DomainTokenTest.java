package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DomainTokenTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private final SortedMap<Integer, KeyPair> pairs = keyPairs(3);
  private final SortedMap<Integer, ECPublicKey> members = publicKeys(pairs);

  @Test
  void hkdfSha256_rfc5869TestCase3_firstBlock() {
    // RFC 5869 A.3: SHA-256, IKM = 22 bytes 0x0b, no salt, no info; K_j is the first 32 bytes of OKM
    byte[] ikm = new byte[22];
    java.util.Arrays.fill(ikm, (byte) 0x0b);
    assertThat(java.util.HexFormat.of().formatHex(DomainToken.hkdfSha256(ikm, new byte[0])))
        .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
  }

  @Test
  void loadDomainToken_issuedByMember_everyHsmLoadsTheSameDomainKey() throws IntegrityException {
    Hsm issuer = hsm(0, members);
    byte[] edt = issuer.issueDomainToken(7, NOW);
    for (int i = 1; i < 3; i++) {
      assertThat(hsm(i, members).loadDomainToken(edt)).isEqualTo(7);
    }
    int body = DomainToken.HEADER_LENGTH + DomainToken.SEALED_KEY_LENGTH + 3 * DomainToken.ENTRY_LENGTH;
    assertThat(body).isEqualTo(21 + 60 + 3 * 127);
    assertThat(edt.length - body - 2).isBetween(DomainToken.MIN_SIGNATURE_LENGTH, DomainToken.MAX_SIGNATURE_LENGTH);
    assertThat(edt[0]).isEqualTo(DomainToken.VERSION);
  }

  @Test
  void loadDomainToken_sameToken_yieldsKeysThatOpenEachOthersKeyTokens() throws IntegrityException {
    Hsm a = hsm(0, members);
    Hsm b = hsm(2, members);
    b.loadDomainToken(a.issueDomainToken(1, NOW));
    KeyToken.Binding binding = new KeyToken.Binding("cmk-1", 1, NOW);
    byte[] ekt = a.createKeyToken(binding, 1);
    KeyMaterial child = KeyMaterial.random256Of(RandomSource.secure());
    byte[] wrapped = a.wrap(ekt, binding, child, new byte[] {1});
    assertThat(b.unwrap(ekt, binding, wrapped, 0, wrapped.length, new byte[] {1}).sameKeyAs(child)).isTrue();
  }

  @Test
  void loadDomainToken_tamperedAtEveryByte_isRefused() {
    byte[] edt = hsm(0, members).issueDomainToken(1, NOW);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < edt.length; i++) {
      byte[] tampered = edt.clone();
      tampered[i] ^= 0x01;
      Hsm recipient = hsm(1, members);
      try {
        recipient.loadDomainToken(tampered);
        accepted.add("byte " + i);
      } catch (IntegrityException expected) {
        assertThat(recipient.holdsDomainKey(1)).isFalse();
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void loadDomainToken_truncatedOrExtended_isRefused() {
    byte[] edt = hsm(0, members).issueDomainToken(1, NOW);
    assertThatThrownBy(() -> hsm(1, members).loadDomainToken(java.util.Arrays.copyOf(edt, edt.length - 1)))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> hsm(1, members).loadDomainToken(java.util.Arrays.copyOf(edt, edt.length + 1)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void parse_recipientCountBeyondItsEntries_isRefusedAsMalformed() {
    byte[] edt = hsm(0, members).issueDomainToken(1, NOW);
    List<String> escaped = new ArrayList<>();
    for (int n = 4; n <= DomainToken.MAX_RECIPIENTS; n++) {
      byte[] tampered = edt.clone();
      tampered[19] = (byte) (n >>> 8);
      tampered[20] = (byte) n;
      try {
        DomainToken.parse(tampered);
        escaped.add(n + ": accepted");
      } catch (IntegrityException expected) {
        assertThat(expected).hasMessage("domain token is malformed");
      } catch (RuntimeException e) {
        escaped.add(n + ": " + e);
      }
    }
    assertThat(escaped).isEmpty();
  }

  @Test
  void loadDomainToken_signedByNonMemberClaimingUnknownIndex_isRefused() {
    // An outsider that knows the members' public keys addresses a token to them, signed with its own key.
    SortedMap<Integer, KeyPair> outsider = keyPairs(1);
    SortedMap<Integer, ECPublicKey> addressed = new TreeMap<>(members);
    addressed.put(3, (ECPublicKey) outsider.get(0).getPublic());
    byte[] edt = new Hsm(3, outsider.get(0).getPrivate(), addressed, RandomSource.secure()).issueDomainToken(1, NOW);
    assertThatThrownBy(() -> hsm(1, members).loadDomainToken(edt))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("not signed by a domain member");
  }

  @Test
  void loadDomainToken_signedByNonMemberClaimingMemberIndex_isRefused() {
    // The outsider claims to be HSM 0; the signature does not verify under HSM 0's public key.
    KeyPair outsider = EcP256.generateKeyPair();
    SortedMap<Integer, ECPublicKey> addressed = new TreeMap<>(members);
    addressed.put(0, (ECPublicKey) outsider.getPublic());
    byte[] edt = new Hsm(0, outsider.getPrivate(), addressed, RandomSource.secure()).issueDomainToken(1, NOW);
    assertThatThrownBy(() -> hsm(1, members).loadDomainToken(edt))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("not signed by a domain member");
  }

  @Test
  void loadDomainToken_notAddressedToThisHsm_isRefused() {
    SortedMap<Integer, ECPublicKey> onlyFirstTwo = new TreeMap<>(members.headMap(2));
    byte[] edt = DomainToken.issue(0, pairs.get(0).getPrivate(), 1, NOW, onlyFirstTwo,
        KeyMaterial.random256Of(RandomSource.secure()), RandomSource.secure());
    assertThatThrownBy(() -> hsm(2, members).loadDomainToken(edt))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("not addressed to HSM 2");
  }

  @Test
  void toString_ofParsedToken_namesGenerationNotKeys() throws IntegrityException {
    byte[] edt = hsm(0, members).issueDomainToken(5, NOW);
    assertThat(DomainToken.parse(edt).toString()).startsWith("DomainToken(generation=5, issuer=HSM 0");
  }

  private Hsm hsm(int index, SortedMap<Integer, ECPublicKey> domain) {
    return new Hsm(index, pairs.get(index).getPrivate(), domain, RandomSource.secure());
  }

  static SortedMap<Integer, KeyPair> keyPairs(int n) {
    SortedMap<Integer, KeyPair> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put(i, EcP256.generateKeyPair());
    }
    return m;
  }

  static SortedMap<Integer, ECPublicKey> publicKeys(SortedMap<Integer, KeyPair> pairs) {
    SortedMap<Integer, ECPublicKey> m = new TreeMap<>();
    pairs.forEach((i, kp) -> m.put(i, (ECPublicKey) kp.getPublic()));
    return m;
  }
}
