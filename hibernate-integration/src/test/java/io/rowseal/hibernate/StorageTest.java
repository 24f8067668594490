package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What reaches the database: ciphertext only, one data key per row write. */
class StorageTest {
  /** Encrypted columns of {@link Sample} (lower case, as read back from JDBC metadata). */
  static final List<String> ENCRYPTED = List.of("email", "bytes", "chars", "intbox", "intprim", "longbox",
      "longprim", "shortbox", "shortprim", "boolbox", "boolprim", "doublebox", "doubleprim", "amount",
      "biginteger", "birthdate", "meetingat", "wakeup", "createdat", "offsetdatetime", "uuid", "tier",
      "street", "since");
  /** Header bytes every value of one row shares: format, flags, key reference and nonce N. */
  static final int HEADER = Envelope.binaryLength(0, "default") - 28;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rawRows_afterPersist_holdNoPlaintextAndOneHeaderPerRow(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      List<Sample> samples = List.of(Samples.typical(10), Samples.typical(11), Samples.maximal(12));
      jpa.inTransaction(s -> samples.forEach(s::persist));

      List<Map<String, Object>> rows = jpa.raw("select * from " + jpa.table("sample") + " order by id");

      assertThat(rows).hasSize(3);
      Set<String> headers = new HashSet<>();
      for (int r = 0; r < rows.size(); r++) {
        Map<String, Object> row = rows.get(r);
        List<byte[]> stored = ENCRYPTED.stream().map(c -> (byte[]) row.get(c)).toList();
        assertThat(stored).as("every encrypted column holds bytes").doesNotContainNull();
        for (byte[] secret : plaintexts(samples.get(r))) {
          for (Object column : row.values()) {
            if (column instanceof byte[] value) {
              assertThat(indexOf(value, secret)).as("plaintext in %s", row.get("id")).isEqualTo(-1);
            }
          }
        }
        Set<String> rowHeaders = new HashSet<>();
        stored.forEach(v -> rowHeaders.add(Arrays.toString(Arrays.copyOf(v, HEADER))));
        assertThat(rowHeaders).as("one DEK for the whole row").hasSize(1);
        headers.addAll(rowHeaders);
      }
      assertThat(headers).as("a DEK of its own per row").hasSize(3);
      assertThat(rows.get(0).get("label")).isEqualTo("typical-10");
      assertThat(jpa.envelope.metrics().rowsEncrypted()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void textColumn_afterPersist_holdsPrefixedBase64AndReadsBack(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, TextSample.class)) {
      jpa.inTransaction(s -> s.persist(new TextSample(1, "text secret " + Samples.UNICODE)));

      Object raw = jpa.raw("select secret from " + jpa.table("text_sample")).get(0).get("secret");
      TextSample loaded = jpa.fromTransaction(s -> s.find(TextSample.class, 1L));

      assertThat(raw).isInstanceOf(String.class);
      assertThat((String) raw).startsWith("rs1:").doesNotContain("secret");
      assertThat(loaded.secret).isEqualTo("text secret " + Samples.UNICODE);
    }
  }

  /** The byte sequences an encrypted value must not reveal: text and binary forms of 8+ bytes. */
  static List<byte[]> plaintexts(Sample s) {
    List<byte[]> out = new ArrayList<>();
    out.add(s.email.getBytes(StandardCharsets.UTF_8));
    out.add(s.bytes);
    out.add(new String(s.chars).getBytes(StandardCharsets.UTF_8));
    out.add(s.details.street.getBytes(StandardCharsets.UTF_8));
    out.add(ByteBuffer.allocate(8).putLong(s.longBox).array());
    out.add(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(s.doubleBox)).array());
    out.add(s.bigInteger.toByteArray());
    out.add(ByteBuffer.allocate(16).putLong(s.uuid.getMostSignificantBits())
        .putLong(s.uuid.getLeastSignificantBits()).array());
    out.add(s.tier.name().getBytes(StandardCharsets.UTF_8));
    out.removeIf(b -> b.length < 8);
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
