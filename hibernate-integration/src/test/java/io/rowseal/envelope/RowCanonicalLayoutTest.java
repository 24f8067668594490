package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A layout fixed per entity encodes every row exactly as {@link RowCanonical} does (the encoding the golden vectors
 * and the fuzz test pin), whatever the order its names were given in, bound or not, with NULLs and tenants.
 */
class RowCanonicalLayoutTest {
  private static final String[] NAMES = {"Customer.ssn", "Customer.email", "Customer.address", "code", "ünïcode",
      "Z", "a", "Customer.e", "tier", "Customer.emails"};

  @Test
  void encode_anyRowShape_equalsTheRowBuiltItemByItem() {
    SplittableRandom random = new SplittableRandom(19);
    for (int trial = 0; trial < 2_000; trial++) {
      List<String> pool = new ArrayList<>(List.of(NAMES));
      List<String> encrypted = pick(random, pool, random.nextInt(4));
      List<String> signed = pick(random, pool, random.nextInt(3));
      byte[][] e = values(random, encrypted.size());
      byte[][] s = values(random, signed.size());
      byte[] id = bytes(random, 1 + random.nextInt(12));
      String tenant = random.nextBoolean() ? null : "tenant-" + random.nextInt(5);
      boolean bound = random.nextBoolean();

      RowCanonical row = bound ? RowCanonical.of("Customer", "customer", tenant, id) : RowCanonical.of("Customer", id);
      for (int i = 0; i < e.length; i++) {
        row.encrypted(encrypted.get(i), e[i]);
      }
      for (int i = 0; i < s.length; i++) {
        row.signed(signed.get(i), s[i]);
      }
      RowCanonical.Layout layout = bound ? RowCanonical.Layout.of("Customer", "customer", encrypted, signed)
          : RowCanonical.Layout.of("Customer", encrypted, signed);

      assertThat(layout.encode(tenant, id, e, s)).as("trial %d: %s %s bound=%s", trial, encrypted, signed, bound)
          .isEqualTo(row.toBytes());
      try (RowCanonical.Scratch reused = layout.encodeReused(tenant, id, e, s)) {
        assertThat(java.util.Arrays.copyOf(reused.bytes(), reused.length())).as("trial %d, reused buffer", trial)
            .isEqualTo(row.toBytes());
      }
    }
  }

  @Test
  void encodeReused_closedBufferZeroedAndReused_nestedOrLongRowsGetTheirOwn() {
    RowCanonical.Layout layout = RowCanonical.Layout.of("Customer", List.of("Customer.ssn"), List.of());
    byte[] ssn = {7, 7, 7};
    byte[] expected = layout.encode(null, new byte[] {42}, new byte[][] {ssn}, new byte[0][]);
    RowCanonical.Scratch first = layout.encodeReused(null, new byte[] {42}, new byte[][] {ssn}, new byte[0][]);
    byte[] buffer = first.bytes();
    // a second row on this thread before the first is closed must not overwrite it
    try (RowCanonical.Scratch nested = layout.encodeReused(null, new byte[] {43}, new byte[][] {{1}}, new byte[0][])) {
      assertThat(nested.bytes()).isNotSameAs(buffer);
    }
    assertThat(java.util.Arrays.copyOf(first.bytes(), first.length())).isEqualTo(expected);
    int length = first.length();
    first.close();
    assertThat(java.util.Arrays.copyOf(buffer, length)).as("zeroed on close").containsOnly(0);
    try (RowCanonical.Scratch again = layout.encodeReused(null, new byte[] {42}, new byte[][] {ssn}, new byte[0][])) {
      assertThat(again.bytes()).as("the thread's buffer is handed out again").isSameAs(buffer);
    }
    byte[] huge = new byte[RowCanonical.Scratch.KEPT + 1];
    try (RowCanonical.Scratch longRow = layout.encodeReused(null, new byte[] {42}, new byte[][] {huge}, new byte[0][])) {
      assertThat(longRow.bytes()).isNotSameAs(buffer);
    }
    try (RowCanonical.Scratch after = layout.encodeReused(null, new byte[] {42}, new byte[][] {ssn}, new byte[0][])) {
      assertThat(after.bytes()).as("a long row does not replace the kept buffer").isSameAs(buffer);
    }
  }

  @Test
  void encode_readsTheValuesWithoutKeepingThem() {
    RowCanonical.Layout layout = RowCanonical.Layout.of("Customer", List.of("Customer.ssn"), List.of());
    byte[] ssn = {1, 2, 3};
    byte[] before = layout.encode(null, new byte[] {42}, new byte[][] {ssn}, new byte[0][]);
    ssn[0] = 9;
    assertThat(layout.encode(null, new byte[] {42}, new byte[][] {{1, 2, 3}}, new byte[0][])).isEqualTo(before);
  }

  @Test
  void of_twoItemsOfOneName_refusedNamingIt() {
    assertThatThrownBy(() -> RowCanonical.Layout.of("Customer", List.of("shared"), List.of("shared")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Customer")
        .hasMessageContaining("'shared'");
  }

  @Test
  void encode_valuesNotMatchingTheLayout_refused() {
    RowCanonical.Layout layout = RowCanonical.Layout.of("Customer", List.of("a", "b"), List.of("c"));
    assertThatThrownBy(() -> layout.encode(null, new byte[] {1}, new byte[1][], new byte[1][]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 encrypted");
    assertThatThrownBy(() -> layout.encode(null, null, new byte[2][], new byte[1][]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no id");
  }

  private static List<String> pick(SplittableRandom random, List<String> pool, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pool.remove(random.nextInt(pool.size())));
    }
    return out;
  }

  private static byte[][] values(SplittableRandom random, int n) {
    byte[][] v = new byte[n][];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(70));
    }
    return v;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
