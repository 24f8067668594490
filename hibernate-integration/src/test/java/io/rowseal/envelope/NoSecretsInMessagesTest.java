package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Invariant 1: no key bytes and no plaintext in any {@code toString()} of a key-holding object or in any
 * exception message the engine produces. Every text is grepped for each secret in hex (both cases),
 * Base64, raw ISO-8859-1 and as Java's {@code Arrays.toString}.
 */
class NoSecretsInMessagesTest {
  private static final String PLAINTEXT = "078-05-1120 secret note";

  @Test
  void toStringsAndErrorMessages_containNoKeyBytesAndNoPlaintext() {
    RecordingRandom kmsRandom = new RecordingRandom(32);
    RecordingRandom engineRandom = new RecordingRandom(32);
    InMemoryCmkProvider kms = new InMemoryCmkProvider(kmsRandom, Clock.systemUTC());
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(store).random(engineRandom).build();

    List<String> texts = new ArrayList<>();
    RowEncryptor row = envelope.beginRow();
    byte[] stored = row.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), "Customer.ssn");
    texts.add(row.toString());
    row.close();
    String cmkId = store.findActive("default").orElseThrow().cmkId();
    DataKey dataKey = kms.generateDataKey(cmkId, EncryptionContext.empty());
    KeyMaterial material = dataKey.plaintext();
    texts.add(dataKey.toString());
    texts.add(material.toString());
    try (KeyMaterial.Lease lease = material.lease()) {
      texts.add(lease.toString());
    }
    texts.add(envelope.toString());
    texts.add(envelope.metrics().toString());
    texts.add(kms.toString());
    texts.add(store.findActive("default").orElseThrow().toString());

    // every failure path we can provoke
    byte[] tampered = stored.clone();
    tampered[tampered.length - 1] ^= 1;
    texts.add(messageOf(() -> envelope.decrypt(tampered, "Customer.ssn")));
    texts.add(messageOf(() -> envelope.decrypt(stored, "Customer.other")));
    byte[] badVersion = stored.clone();
    badVersion[0] = 9;
    texts.add(messageOf(() -> envelope.decrypt(badVersion, "Customer.ssn")));
    texts.add(messageOf(() -> envelope.decrypt(java.util.Arrays.copyOf(stored, 40), "Customer.ssn")));
    texts.add(messageOf(() -> kms.unwrap(cmkId, new byte[] {1, 0, 0, 0, 1, 9, 9}, EncryptionContext.empty())));
    envelope.rotateBranchKey();
    envelope.destroyBranchKeyVersion(1);
    texts.add(messageOf(() -> envelope.decrypt(stored, "Customer.ssn")));
    kms.destroyNow(cmkId);
    texts.add(messageOf(() -> Envelope.builder().cmkProvider(kms).branchKeyStore(store).build()
        .decrypt(envelope.encrypt(new byte[1], "A.b"), "A.b")));

    List<byte[]> secrets = new ArrayList<>(kmsRandom.draws);
    secrets.addAll(engineRandom.draws);
    // The row DEK is derived from the branch key (one of the KMS's 32-byte draws) and the row's N.
    byte[] nonce = java.util.Arrays.copyOfRange(stored, 3 + 7 + 4, 3 + 7 + 4 + 16);
    for (byte[] candidate : kmsRandom.draws) {
      secrets.add(io.rowseal.crypto.Kbkdf.derive(KeyMaterial.copyOf(candidate),
          "rowseal/dek/v2".getBytes(StandardCharsets.UTF_8), nonce).copyBytes());
    }
    secrets.add(PLAINTEXT.getBytes(StandardCharsets.UTF_8));
    assertThat(secrets).hasSizeGreaterThan(3);
    assertThat(texts).allSatisfy(t -> assertThat(t).isNotBlank());
    List<String> leaks = new ArrayList<>();
    for (String text : texts) {
      for (byte[] secret : secrets) {
        for (String form : forms(secret)) {
          if (text.contains(form)) {
            leaks.add(text);
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<String> forms(byte[] secret) {
    String hex = HexFormat.of().formatHex(secret);
    return List.of(hex, hex.toUpperCase(), Base64.getEncoder().encodeToString(secret),
        new String(secret, StandardCharsets.ISO_8859_1), java.util.Arrays.toString(secret),
        "078-05-1120");
  }

  private interface Failing {
    void run() throws Exception;
  }

  private static String messageOf(Failing f) {
    try {
      f.run();
    } catch (Exception e) {
      StringBuilder sb = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        sb.append(t).append('\n');
      }
      return sb.toString();
    }
    throw new AssertionError("expected a failure");
  }
}
