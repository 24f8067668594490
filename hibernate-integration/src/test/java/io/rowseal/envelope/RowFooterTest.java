package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Row footers: sign and verify, every tampered byte caught, self-contained without the DEK cache. */
class RowFooterTest {
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
  private final Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build();

  @Test
  void verifyRow_anyFooterByteFlippedOrOtherCanonicalRow_integrityException() throws Exception {
    byte[] canonical;
    byte[] footer;
    try (RowEncryptor row = envelope.beginRow()) {
      byte[] ssn = row.encrypt(bytes("078-05-1120"), "Customer.ssn");
      canonical = RowCanonical.of("Customer", bytes("42")).encrypted("Customer.ssn", ssn)
          .signed("Customer.tier", bytes("GOLD")).toBytes();
      footer = row.sign(canonical);
    }
    envelope.verifyRow(footer, canonical);

    List<String> accepted = flipsThatVerify(footer, canonical);
    byte[] otherId = RowCanonical.of("Customer", bytes("43")).toBytes();
    if (verifies(footer, otherId)) {
      accepted.add("another row");
    }
    assertThat(accepted).isEmpty();
    assertThat(footer).hasSize(Envelope.footerLength("default"));
  }

  @Test
  void boundFooter_verifiesOnlyItsTableAndTenant_andEveryByteFlipOrDowngradeFails() throws Exception {
    byte[] canonical;
    byte[] footer;
    byte[] ssn;
    try (RowEncryptor row = envelope.beginRow()) {
      ssn = row.encrypt(bytes("078-05-1120"), "Customer.ssn");
      canonical = RowCanonical.of("Customer", "customer", "acme", bytes("42")).encrypted("Customer.ssn", ssn).toBytes();
      footer = row.signBound(canonical);
    }
    assertThat(footer[0]).isEqualTo((byte) 3);
    assertThat(Envelope.footerBindsTable(footer)).isTrue();
    assertThat(footer).hasSize(Envelope.footerLength("default"));
    envelope.verifyRow(footer, canonical);

    List<String> accepted = flipsThatVerify(footer, canonical);
    byte[] downgraded = footer.clone();
    downgraded[0] = 2;
    if (verifies(downgraded, canonical) || verifies(downgraded, RowCanonical.of("Customer", bytes("42"))
        .encrypted("Customer.ssn", ssn).toBytes())) {
      accepted.add("footer version 3 -> 2");
    }
    for (byte[] other : List.of(
        RowCanonical.of("Customer", "customer_copy", "acme", bytes("42")).encrypted("Customer.ssn", ssn).toBytes(),
        RowCanonical.of("Customer", "customer", "globex", bytes("42")).encrypted("Customer.ssn", ssn).toBytes(),
        RowCanonical.of("Customer", "customer", null, bytes("42")).encrypted("Customer.ssn", ssn).toBytes(),
        RowCanonical.of("Customer", bytes("42")).encrypted("Customer.ssn", ssn).toBytes())) {
      if (verifies(footer, other)) {
        accepted.add("another table or tenant");
      }
    }
    assertThat(accepted).isEmpty();
  }

  /** Every single-bit flip of each footer byte that still verifies (none may). */
  private List<String> flipsThatVerify(byte[] footer, byte[] canonical) {
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < footer.length; i++) {
      byte[] t = footer.clone();
      t[i] ^= 0x01;
      if (verifies(t, canonical)) {
        accepted.add("footer byte " + i);
      }
    }
    return accepted;
  }

  @Test
  void verifyRow_withoutDekCacheAndWithoutAnyEncryptedValue_verifiesFromTheFooterAlone() throws Exception {
    Envelope uncached = Envelope.builder().cmkProvider(kms).branchKeyStore(store).dekCacheMaxSize(0).build();
    byte[] canonical = RowCanonical.of("Customer", bytes("7")).encrypted("Customer.ssn", null).toBytes();
    byte[] footer;
    try (RowEncryptor row = uncached.beginRow()) {
      footer = row.sign(canonical);
    }

    uncached.verifyRow(footer, canonical);
    uncached.verifyRow(footer, canonical);

    assertThat(uncached.metrics().dekMisses()).isEqualTo(2);
  }

  @Test
  void verifyRow_branchKeyVersionDestroyed_keyDestroyedException() {
    byte[] canonical = RowCanonical.of("Customer", bytes("7")).toBytes();
    byte[] footer;
    try (RowEncryptor row = envelope.beginRow()) {
      footer = row.sign(canonical);
    }
    envelope.rotateBranchKey();
    envelope.destroyBranchKeyVersion(1);

    assertThatThrownBy(() -> envelope.verifyRow(footer, canonical)).isInstanceOf(KeyDestroyedException.class);
  }

  @Test
  void verifyRow_unknownVersionOrTruncated_saysSo() {
    byte[] canonical = RowCanonical.of("Customer", bytes("7")).toBytes();
    byte[] footer;
    try (RowEncryptor row = envelope.beginRow()) {
      footer = row.sign(canonical);
    }
    byte[] future = footer.clone();
    future[0] = 0x04;

    assertThatThrownBy(() -> envelope.verifyRow(future, canonical)).isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("RS-1001: stored row signature has format version 0x04");
    assertThatThrownBy(() -> envelope.verifyRow(java.util.Arrays.copyOf(footer, 50), canonical))
        .hasMessageStartingWith("RS-1002: stored row signature is malformed");
    assertThatThrownBy(() -> envelope.verifyRow(footer, RowCanonical.of("Customer", bytes("8")).toBytes()))
        .hasMessage("RS-1005: row signature (branch key default#1) does not verify");
  }

  @Test
  void canonical_twoItemsWithOneName_refused() {
    RowCanonical row = RowCanonical.of("Customer", bytes("7")).encrypted("Customer.a", null).signed("Customer.a", null);

    assertThatThrownBy(row::toBytes).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share the logical name 'Customer.a'");
  }

  private boolean verifies(byte[] footer, byte[] canonical) {
    try {
      envelope.verifyRow(footer, canonical);
      return true;
    } catch (IntegrityException e) {
      return false;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
