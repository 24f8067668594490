package io.rowseal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark module from rotting: every contender round-trips, and the storage figures the
 * report prints are what the contenders really store. No timing here; the benchmarks run only from
 * {@code benchmarks.jar}.
 */
class ContendersTest {
  private static Contenders contenders;
  private static final Row[] ROWS = Row.random(4, 42);

  @BeforeAll
  static void create() throws Exception {
    contenders = Contenders.create();
  }

  @AfterAll
  static void close() {
    contenders.rowseal().close();
  }

  @Test
  void everyContender_roundTripsEveryRow_andRandomizes() throws Exception {
    List<String> failures = new ArrayList<>();
    for (RowCipher<?> cipher : contenders.all()) {
      failures.addAll(roundTrip(cipher));
    }
    assertThat(failures).isEmpty();
  }

  private static <S> List<String> roundTrip(RowCipher<S> cipher) throws Exception {
    List<String> failures = new ArrayList<>();
    for (Row row : ROWS) {
      S first = cipher.encrypt(row);
      S second = cipher.encrypt(row);
      if (!cipher.decrypt(first).equals(row) || !cipher.decrypt(second).equals(row)) {
        failures.add(cipher.name() + ": round trip changed the row");
      }
      List<Object> a = encryptedFields(first);
      List<Object> b = encryptedFields(second);
      for (int i = 0; i < Row.ATTRIBUTES.length; i++) {
        if (a.get(i).equals(b.get(i))) {
          failures.add(cipher.name() + ": two encryptions of " + Row.ATTRIBUTES[i] + " are equal");
        }
      }
      if (cipher.storedBytes(first) <= Row.PLAINTEXT_BYTES) {
        failures.add(cipher.name() + ": stores no more than the plaintext");
      }
    }
    return failures;
  }

  /** The stored value of each encrypted field, in {@link Row#ATTRIBUTES} order, comparable by equals. */
  private static List<Object> encryptedFields(Object stored) {
    if (stored instanceof byte[][] values) {
      return Arrays.stream(values).map(HexFormat.of()::formatHex).collect(Collectors.toList());
    }
    if (stored instanceof String[] values) {
      return List.of((Object[]) values);
    }
    if (stored instanceof Map<?, ?> item) {
      return Arrays.stream(Row.ATTRIBUTES).map(item::get).collect(Collectors.toList());
    }
    throw new IllegalArgumentException("unknown stored form " + stored.getClass());
  }

  @Test
  void storage_isMeasuredFromRealOutput_andMatchesTheFormats() throws Exception {
    Map<String, Integer> bytes = Storage.all(contenders, ROWS[0]).stream()
        .collect(Collectors.toMap(Storage.Entry::contender, Storage.Entry::bytesPerRow));
    Function<RowCipher<?>, Integer> of = c -> bytes.get(c.name());

    assertThat(of.apply(contenders.floor())).isEqualTo(Row.PLAINTEXT_BYTES + 3 * (12 + 16));
    assertThat(of.apply(contenders.tink())).isEqualTo(Row.PLAINTEXT_BYTES + 3 * (5 + 12 + 16));
    assertThat(of.apply(contenders.rowseal()))
        .isEqualTo(Storage.rowsealFormula("default"))
        .isEqualTo(Row.PLAINTEXT_BYTES + 3 * (51 + "default".length()));
    assertThat(of.apply(contenders.dbEsdk())).isGreaterThan(of.apply(contenders.dbEsdkNoEcdsa()));
    assertThat(bytes.get(Storage.ROWSEAL_WITH_FOOTER))
        .isEqualTo(of.apply(contenders.rowseal()) + io.rowseal.envelope.Envelope.footerLength("default"));
    assertThat(bytes).hasSize(contenders.all().length + 1);
  }
}
