package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.testing.SeedCorpus;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of the Exported Domain Token (EDT, {@code docs/KEY-HIERARCHY.md}): {@code DomainToken.parse},
 * then {@code Hsm.loadDomainToken} (issuer, signature, the entry addressed to the HSM, both seals) by each HSM of
 * the golden domain. Seed: the golden EDT. Every token is refused with an {@link IntegrityException}, or carries
 * the golden token's signed body and gives its domain key: no HSM ever loads a domain key its domain did not issue.
 */
class DomainTokenFuzzTest {
  private static final SortedMap<Integer, KeyPair> PAIRS = GoldenTokens.keyPairs();
  private static final SortedMap<Integer, ECPublicKey> MEMBERS = new TreeMap<>();
  private static final byte[] GOLDEN = GoldenTokens.edt();
  private static final KeyMaterial DK = KeyMaterial.copyOf(GoldenTokens.DK);

  static {
    PAIRS.forEach((i, kp) -> MEMBERS.put(i, (ECPublicKey) kp.getPublic()));
  }

  @FuzzTest
  void loadDomainToken_anyToken_refusedOrTheGoldenDomainKey(byte[] edt) {
    DomainToken token;
    try {
      token = DomainToken.parse(edt);
    } catch (IntegrityException e) {
      return;
    }
    for (var pair : PAIRS.entrySet()) {
      // A fresh HSM each time: a domain key loaded from one input must not meet the next.
      Hsm hsm = new Hsm(pair.getKey(), pair.getValue().getPrivate(), MEMBERS, RandomSource.secure());
      long generation;
      try {
        generation = hsm.loadDomainToken(edt);
      } catch (IntegrityException e) {
        continue;
      }
      int body = edt.length - 2 - signatureLength(edt);
      assertThat(body <= GOLDEN.length && Arrays.equals(edt, 0, body, GOLDEN, 0, body))
          .as("HSM %d loaded a token whose signed body is not the golden one", pair.getKey()).isTrue();
      assertThat(generation).isEqualTo(GoldenTokens.EDT_GENERATION).isEqualTo(token.generation());
      assertThat(hsm.holdsDomainKey(generation)).isTrue();
      try {
        assertThat(token.open(pair.getKey(), pair.getValue().getPrivate()).sameKeyAs(DK)).isTrue();
      } catch (IntegrityException e) {
        throw new AssertionError("a token the HSM loaded does not open", e);
      }
    }
  }

  @Test
  void seedCorpus_holdsTheGoldenEdt() {
    SeedCorpus.assertHolds(getClass(), "loadDomainToken_anyToken_refusedOrTheGoldenDomainKey", List.of(GOLDEN));
  }

  /** The signature length field of a parsed token: its last {@code 2 + s} bytes are {@code s ‖ signature}. */
  private static int signatureLength(byte[] edt) {
    int bodyLength = DomainToken.HEADER_LENGTH + DomainToken.SEALED_KEY_LENGTH
        + Short.toUnsignedInt(java.nio.ByteBuffer.wrap(edt, 19, 2).getShort()) * DomainToken.ENTRY_LENGTH;
    return edt.length - bodyLength - 2;
  }
}
