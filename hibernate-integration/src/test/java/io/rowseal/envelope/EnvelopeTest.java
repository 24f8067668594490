package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KmsException;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
  private final Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build();

  @Test
  void decrypt_ofEncrypt_givesPlaintextBackForAllLengths() throws Exception {
    for (int len : new int[] {0, 1, 15, 16, 17, 1000, 70_000}) {
      byte[] plain = new byte[len];
      Arrays.fill(plain, (byte) 'x');
      byte[] stored = envelope.encrypt(plain, "Customer.notes");
      assertThat(stored).hasSize(Envelope.binaryLength(len, "default"));
      assertThat(envelope.decrypt(stored, "Customer.notes")).isEqualTo(plain);
    }
  }

  @Test
  void beginRow_valuesOfOneRow_shareHeaderButNotIv() throws Exception {
    byte[][] row = oneRow("Customer.email", "alice@example.com", "Customer.email2", "alice@example.com");
    byte[] a = row[0];
    byte[] b = row[1];
    int header = ValueFormat.parse(a).headerLength();
    assertThat(Arrays.copyOf(a, header)).isEqualTo(Arrays.copyOf(b, header));
    assertThat(Arrays.copyOfRange(a, header, header + 12)).isNotEqualTo(Arrays.copyOfRange(b, header, header + 12));
    assertThat(envelope.decrypt(a, "Customer.email")).isEqualTo(bytes("alice@example.com"));
    assertThat(envelope.decrypt(b, "Customer.email2")).isEqualTo(bytes("alice@example.com"));
    assertThat(envelope.metrics().dekMisses()).isEqualTo(1);
    assertThat(envelope.metrics().dekHits()).isEqualTo(1);
  }

  @Test
  void decrypt_anySingleByteFlipped_integrityException() throws Exception {
    for (String plain : new String[] {"", "123-45-6789", "a longer free-text note with ümlauts"}) {
      byte[] stored = envelope.encrypt(bytes(plain), "Customer.ssn");
      // Read once first, so that flips after the header meet the remembered row key (no lookup).
      assertThat(envelope.decrypt(stored, "Customer.ssn")).isEqualTo(bytes(plain));
      for (int i = 0; i < stored.length; i++) {
        for (int bit : new int[] {0x01, 0x80}) {
          byte[] t = stored.clone();
          t[i] ^= (byte) bit;
          int pos = i;
          assertThatThrownBy(() -> envelope.decrypt(t, "Customer.ssn"))
              .as("byte %d of %d", pos, stored.length)
              .isInstanceOf(IntegrityException.class);
        }
      }
    }
  }

  @Test
  void decrypt_truncatedAtEveryLength_integrityException() throws Exception {
    byte[] stored = envelope.encrypt(bytes("123-45-6789"), "Customer.ssn");
    for (int len = 0; len < stored.length; len++) {
      byte[] t = Arrays.copyOf(stored, len);
      int l = len;
      assertThatThrownBy(() -> envelope.decrypt(t, "Customer.ssn")).as("length %d", l)
          .isInstanceOf(IntegrityException.class);
    }
    byte[] longer = Arrays.copyOf(stored, stored.length + 1);
    assertThatThrownBy(() -> envelope.decrypt(longer, "Customer.ssn")).isInstanceOf(IntegrityException.class);
  }

  @Test
  void decrypt_valueMovedToAnotherAttribute_integrityExceptionNamingAttribute() {
    byte[] stored = envelope.encrypt(bytes("123-45-6789"), "Customer.ssn");
    assertThatThrownBy(() -> envelope.decrypt(stored, "Customer.phone"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("Customer.phone")
        .hasMessageContaining("default#1")
        .hasMessageNotContaining("123-45-6789");
  }

  @Test
  void decrypt_unknownFormatVersion_clearError() {
    byte[] stored = envelope.encrypt(bytes("x"), "A.b");
    stored[0] = 0x07;
    assertThatThrownBy(() -> envelope.decrypt(stored, "A.b"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("RS-1001")
        .hasMessageContaining("format version 0x07");
  }

  /** One row write: attribute, plaintext, attribute, plaintext, … */
  private byte[][] oneRow(String... attributeThenPlaintext) {
    byte[][] out = new byte[attributeThenPlaintext.length / 2][];
    try (RowEncryptor row = envelope.beginRow()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = row.encrypt(bytes(attributeThenPlaintext[2 * i + 1]), attributeThenPlaintext[2 * i]);
      }
    }
    return out;
  }

  @Test
  void decrypt_otherValuesOfARow_skipTheLookupButStillAuthenticate() throws Exception {
    byte[][] row = oneRow("T.a", "alpha", "T.b", "beta");
    byte[] a = row[0];
    byte[] b = row[1];
    byte[] other = envelope.encrypt(bytes("gamma"), "T.b");
    byte[] tampered = b.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThat(envelope.decrypt(a, "T.a")).isEqualTo(bytes("alpha"));
    assertThatThrownBy(() -> envelope.decrypt(tampered, "T.b")).hasMessageStartingWith("RS-1000");
    assertThatThrownBy(() -> envelope.decrypt(b, "T.a")).hasMessageStartingWith("RS-1000");
    assertThat(envelope.decrypt(b, "T.b")).isEqualTo(bytes("beta"));
    assertThat(envelope.decrypt(other, "T.b")).isEqualTo(bytes("gamma"));
    assertThat(envelope.metrics().dekMisses()).as("one derivation per row").isEqualTo(2);
    assertThat(envelope.decrypt(a, "T.a")).isEqualTo(bytes("alpha"));
    assertThat(envelope.metrics().dekMisses()).as("a row read again after another: its second sight").isEqualTo(3);
  }

  @Test
  void open_namesTheRowWriteOnEveryPath_asTheValueItselfDoes() throws Exception {
    byte[][] row = oneRow("T.a", "alpha", "T.b", "beta");
    byte[] other = envelope.encrypt(bytes("gamma"), "T.a");

    Envelope.Opened miss = envelope.open(row[0], "T.a");
    Envelope.Opened remembered = envelope.open(row[1], "T.b");
    envelope.open(other, "T.a");
    Envelope.Opened secondSight = envelope.open(row[0], "T.a"); // a miss again, and now cached
    envelope.open(other, "T.a");
    Envelope.Opened cached = envelope.open(row[1], "T.b");

    assertThat(miss.plaintext()).isEqualTo(bytes("alpha"));
    assertThat(miss.dekId()).isEqualTo(DekId.ofValue(row[0]));
    assertThat(remembered.dekId()).isEqualTo(DekId.ofValue(row[0]));
    assertThat(cached.dekId()).isEqualTo(DekId.ofValue(row[1])).isNotEqualTo(DekId.ofValue(other));
    assertThat(cached.plaintext()).isEqualTo(bytes("beta"));
    assertThat(cached.toString()).doesNotContain("beta");
    assertThat(secondSight.dekId()).isEqualTo(DekId.ofValue(row[0]));
    assertThat(envelope.metrics().dekMisses()).isEqualTo(4);
    assertThat(envelope.metrics().dekHits()).as("remembered and cached").isEqualTo(2);
  }

  @Test
  void decrypt_rowJustRead_afterItsBranchKeyIsDestroyed_saysDestroyed() throws Exception {
    byte[][] row = oneRow("T.a", "alpha", "T.b", "beta");
    byte[] a = row[0];
    byte[] b = row[1];
    envelope.decrypt(a, "T.a");
    envelope.rotateBranchKey();
    envelope.destroyBranchKeyVersion(1);

    assertThatThrownBy(() -> envelope.decrypt(b, "T.b")).isInstanceOf(KeyDestroyedException.class);
  }

  @Test
  void decrypt_rowsReadManyTimesFromManyThreads_allCorrect() throws Exception {
    int rows = 200;
    byte[][][] stored = new byte[rows][3][];
    for (int r = 0; r < rows; r++) {
      try (RowEncryptor row = envelope.beginRow()) {
        for (int f = 0; f < 3; f++) {
          stored[r][f] = row.encrypt(bytes(r + "/" + f), "T.f" + f);
        }
      }
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 5 * rows; i++) {
            int r = (i * 7 + seed * 13) % rows;
            for (int f = 0; f < 3; f++) {
              if (Arrays.equals(envelope.decrypt(stored[r][f], "T.f" + f), bytes(r + "/" + f))) {
                ok++;
              }
            }
          }
          return ok;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(5 * rows * 3);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void encrypt_tenThousandRows_atMostTwoCmkCallsAndNoDekRepeats() throws Exception {
    RecordingRandom random = new RecordingRandom(16); // the rows' N, from which their DEKs derive
    Envelope e = Envelope.builder().cmkProvider(kms).branchKeyStore(new InMemoryBranchKeyStore())
        .random(random).build();
    long before = kms.totalCalls();
    Set<String> headers = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      try (RowEncryptor row = e.beginRow()) {
        byte[] v = row.encrypt(bytes("value " + i), "T.a");
        row.encrypt(bytes("other " + i), "T.b");
        headers.add(HexFormat.of().formatHex(v, 0, ValueFormat.parse(v).headerLength()));
      }
    }
    assertThat(kms.totalCalls() - before).isLessThanOrEqualTo(2);
    assertThat(headers).hasSize(10_000);
    Set<String> nonces = new HashSet<>();
    random.draws.forEach(d -> nonces.add(HexFormat.of().formatHex(d)));
    assertThat(random.draws).hasSize(10_000);
    assertThat(nonces).hasSize(10_000);
  }

  @Test
  void rotateBranchKey_oldAndNewRowsReadable_newRowsUseNewVersion() throws Exception {
    byte[] before = envelope.encrypt(bytes("old"), "A.b");
    BranchKeyRef v2 = envelope.rotateBranchKey();
    byte[] after = envelope.encrypt(bytes("new"), "A.b");
    assertThat(v2.version()).isEqualTo(2);
    assertThat(ValueFormat.parse(before).ref().version()).isEqualTo(1);
    assertThat(ValueFormat.parse(after).ref()).isEqualTo(v2);
    Envelope restarted = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build();
    assertThat(restarted.decrypt(before, "A.b")).isEqualTo(bytes("old"));
    assertThat(restarted.decrypt(after, "A.b")).isEqualTo(bytes("new"));
  }

  @Test
  void destroyBranchKeyVersion_valuesUnderItUnreadableWithSayingException_othersReadable() throws Exception {
    byte[] v1 = envelope.encrypt(bytes("under v1"), "A.b");
    envelope.rotateBranchKey();
    byte[] v2 = envelope.encrypt(bytes("under v2"), "A.b");
    envelope.destroyBranchKeyVersion(1);
    Envelope fresh = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build();
    for (Envelope e : new Envelope[] {envelope, fresh}) {
      assertThatThrownBy(() -> e.decrypt(v1, "A.b"))
          .isInstanceOf(KeyDestroyedException.class)
          .hasMessageContaining("default#1")
          .hasMessageContaining("destroyed");
      assertThat(e.decrypt(v2, "A.b")).isEqualTo(bytes("under v2"));
    }
  }

  @Test
  void decrypt_cmkDestroyed_exceptionSaysSo() {
    byte[] v = envelope.encrypt(bytes("x"), "A.b");
    String cmkId = store.findActive("default").orElseThrow().cmkId();
    kms.destroyNow(cmkId);
    Envelope fresh = Envelope.builder().cmkProvider(kms).branchKeyStore(store).build();
    assertThatThrownBy(() -> fresh.decrypt(v, "A.b"))
        .isInstanceOf(KmsException.InvalidKeyState.class)
        .hasMessageContaining(cmkId)
        .hasMessageContaining("DESTROYED");
  }

  @Test
  void beginRow_kmsUnavailable_failsWithTypedExceptionAndNothingCached() {
    InMemoryCmkProvider down = new InMemoryCmkProvider(io.rowseal.crypto.RandomSource.secure(), Clock.systemUTC());
    down.failWith(new KmsException.Unavailable("simulated outage", null));
    Envelope e = Envelope.builder().cmkProvider(down).branchKeyStore(new InMemoryBranchKeyStore()).build();
    assertThatThrownBy(e::beginRow).isInstanceOf(KmsException.Unavailable.class).hasMessageContaining("RS-2004");
    down.failWith(null);
    assertThat(e.encrypt(bytes("ok"), "A.b")).isNotEmpty();
  }

  @Test
  void beginRow_kmsThrottlesTwice_retriedAndSucceeds() {
    java.util.concurrent.atomic.AtomicInteger throttles = new java.util.concurrent.atomic.AtomicInteger(2);
    io.rowseal.kms.CmkProvider flaky = new io.rowseal.kms.CmkProvider() {
      public io.rowseal.kms.KeyMetadata createKey(String d) { return kms.createKey(d); }
      public io.rowseal.kms.DataKey generateDataKey(String id, io.rowseal.kms.EncryptionContext c) {
        if (throttles.getAndDecrement() > 0) {
          throw new KmsException.Throttled("simulated quota");
        }
        return kms.generateDataKey(id, c);
      }
      public byte[] wrap(String id, io.rowseal.crypto.KeyMaterial k, io.rowseal.kms.EncryptionContext c) { return kms.wrap(id, k, c); }
      public io.rowseal.crypto.KeyMaterial unwrap(String id, byte[] w, io.rowseal.kms.EncryptionContext c) throws IntegrityException { return kms.unwrap(id, w, c); }
      public io.rowseal.kms.KeyMetadata describe(String id) { return kms.describe(id); }
      public io.rowseal.kms.KeyMetadata scheduleDeletion(String id, java.time.Duration p) { return kms.scheduleDeletion(id, p); }
    };
    Envelope e = Envelope.builder().cmkProvider(flaky).branchKeyStore(new InMemoryBranchKeyStore()).build();
    assertThat(e.encrypt(bytes("ok"), "A.b")).isNotEmpty();
    assertThat(throttles.get()).isEqualTo(-1);
  }

  @Test
  void text_roundTripsAndRefusesForeignText() throws Exception {
    byte[] stored = envelope.encrypt(bytes("x"), "A.b");
    String text = Envelope.toText(stored);
    assertThat(text).startsWith("rs1:").hasSize(Envelope.textLength(1, "default"));
    assertThat(Envelope.isText(text)).isTrue();
    assertThat(Envelope.fromText(text)).isEqualTo(stored);
    assertThatThrownBy(() -> Envelope.fromText("plain old value")).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> Envelope.fromText("rs1:@@@")).isInstanceOf(IntegrityException.class);
  }

  @Test
  void fromText_unusedBitsAlteredOrPaddingDropped_isRefusedAsMalformed() throws Exception {
    // 58 and 59 stored bytes: the text ends in "==" (4 unused bits) and "=" (2 unused bits)
    for (String plain : new String[] {"", "x"}) {
      byte[] stored = envelope.encrypt(bytes(plain), "A.b");
      String text = Envelope.toText(stored);
      int pad = text.endsWith("==") ? 2 : 1;
      String unpadded = text.substring(0, text.length() - pad);
      int last = unpadded.length() - 1;
      int value = BASE64_ALPHABET.indexOf(unpadded.charAt(last));
      for (int bits = 1; bits < (pad == 2 ? 16 : 4); bits++) {
        String altered = unpadded.substring(0, last) + BASE64_ALPHABET.charAt(value ^ bits) + "=".repeat(pad);
        // a lenient decoder maps the altered text to the same bytes, so only the text check can see it
        assertThat(java.util.Base64.getDecoder().decode(altered.substring(4))).isEqualTo(stored);
        assertThatThrownBy(() -> Envelope.fromText(altered)).as("unused bits %s", bits)
            .isInstanceOf(IntegrityException.class).hasMessageStartingWith("RS-1002: ");
      }
      assertThatThrownBy(() -> Envelope.fromText(unpadded)).as("padding dropped")
          .isInstanceOf(IntegrityException.class).hasMessageStartingWith("RS-1002: ");
    }
  }

  @Test
  void decrypt_textFormChangedAtAnyCharacter_integrityException() throws Exception {
    for (String plain : new String[] {"", "x", "xy"}) { // two, one and no padding characters
      String text = Envelope.toText(envelope.encrypt(bytes(plain), "A.b"));
      assertThat(envelope.decrypt(Envelope.fromText(text), "A.b")).isEqualTo(bytes(plain));
      java.util.List<String> accepted = new java.util.ArrayList<>();
      for (int i = 0; i < text.length(); i++) {
        for (char c : (BASE64_ALPHABET + "=").toCharArray()) {
          if (c != text.charAt(i)) {
            String changed = text.substring(0, i) + c + text.substring(i + 1);
            tryRead(changed, "char " + i + " -> " + c, accepted);
          }
        }
        tryRead(text.substring(0, i) + text.substring(i + 1), "char " + i + " removed", accepted);
      }
      assertThat(accepted).as("text of %s", plain.isEmpty() ? "empty" : plain).isEmpty();
    }
  }

  private static final String BASE64_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private void tryRead(String text, String change, java.util.List<String> accepted) {
    try {
      envelope.decrypt(Envelope.fromText(text), "A.b");
      accepted.add(change);
    } catch (IntegrityException expected) {
      // refused, as it must be
    } catch (RuntimeException e) {
      accepted.add(change + ": " + e);
    }
  }

  @Test
  void decrypt_branchKeyVersionZeroOrTopBitSet_isRefusedAsMalformed() throws Exception {
    byte[] stored = envelope.encrypt(bytes("x"), "A.b");
    int at = 3 + "default".length(); // the 4 version bytes, big-endian
    for (int version : new int[] {0, Integer.MIN_VALUE, -1, -3}) {
      byte[] t = stored.clone();
      java.nio.ByteBuffer.wrap(t, at, 4).putInt(version);
      assertThatThrownBy(() -> envelope.decrypt(t, "A.b")).as("version bytes %08x", version)
          .isInstanceOf(IntegrityException.class)
          .hasMessage("RS-1002: stored value is malformed (bad branch-key reference)");
    }
    byte[] highest = stored.clone();
    java.nio.ByteBuffer.wrap(highest, at, 4).putInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> envelope.decrypt(highest, "A.b"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("RS-1003: value names branch key default#2147483647");
  }

  @Test
  void builder_invalidSettings_failFastWithMessage() {
    assertThatThrownBy(() -> Envelope.builder().branchKeyId("bad id!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad id!");
    assertThatThrownBy(() -> Envelope.builder().branchKeyTtl(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> Envelope.builder().cmkProvider(kms).cmkProvider(kms))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> Envelope.builder().cmkProvider(kms).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("branch-key store is required");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
