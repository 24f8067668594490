package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A field made searchable by the agent's configuration alone ({@code encrypt.<name>.searchable}), in unmodified
 * applications (agent/it-apps): Spring Data derived queries ({@code findByEmail}, {@code existsByEmail},
 * {@code findByNameStartingWith}, which Spring Data turns into {@code like ?1 escape '\'}) on Spring Boot 4.0
 * and HQL {@code =} / {@code like} on native Hibernate 6.6 answer exactly the rows a plaintext column would,
 * while the columns and the database file hold no plaintext.
 *
 * <p>The indexes are declared 8 bits wide and the applications seed {@value #ROWS} rows with as many
 * distinct values, so by pigeonhole some distinct values share an index value. The test reads the stored
 * index columns, picks such values and searches for them: the index alone would answer extra rows, which
 * rowseal must remove.
 */
class SearchIT {

  private static final int ROWS = 300;
  private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
  private static final List<String> SPECIAL = List.of("O_Brien", "O_Connor", "OxBrien", "O%Hara");

  /**
   * What the test needs to know of an application: its table and columns, the values its {@code seed} mode
   * stores (mirroring {@code CrmApplication.seeded} and {@code LedgerApp.seeded}), its agent configuration
   * and how its {@code search} mode names queries and prints answers.
   */
  record Searched(ShippedApp app, String table, String dayColumn, String equalityColumn, String prefixColumn,
      IntFunction<String> equalityValue, String config, String equalityArg, String found, String exists,
      String startingWith) {

    @Override
    public String toString() {
      return app.toString();
    }
  }

  static Stream<Searched> applications() {
    return Stream.of(
        new Searched(ShippedApp.bootJar("boot-4.0", "Spring Boot 4.0 executable jar", "7.2"), "customer",
            "birth_date", "email", "name", i -> "c" + i + "@example.org", config("com.acme.crm.Customer", "email", "name"),
            "e:", "FOUND findByEmail(%s)=%s", "FOUND existsByEmail(%s)=%s", "FOUND findByNameStartingWith(%s)=%s"),
        new Searched(ShippedApp.nativeApp("hibernate-6.6", "native bootstrap (no persistence.xml)", "6.6"), "account",
            "openedOn", "iban", "holder", i -> "DE%020d".formatted(i), config("com.acme.ledger.Account", "iban", "holder"),
            "i:", "FOUND iban=%s %s", "FOUND exists iban=%s %s", "FOUND holder like %s%% %s"));
  }

  private static String config(String entity, String equality, String prefix) {
    return """
        encrypt.eq = %1$s#%2$s
        encrypt.eq.searchable = equality
        encrypt.eq.search-bits = 8
        encrypt.prefix = %1$s#%3$s
        encrypt.prefix.searchable = prefix
        encrypt.prefix.search-prefix = 2
        encrypt.prefix.search-bits = 8
        """.formatted(entity, equality, prefix);
  }

  /** The name (holder) of the {@code i}-th seeded row. */
  private static String name(int i) {
    return i >= ROWS - SPECIAL.size() ? SPECIAL.get(i - (ROWS - SPECIAL.size()))
        : "" + (char) ('A' + i / 26 % 26) + (char) ('a' + i % 26) + "vis " + i;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applications")
  void search_valuesSharingAnIndexValue_answerExactlyTheMatchingRows(Searched s) throws Exception {
    Path db = ShippedApp.freshDatabase(s.app().toString().replaceAll("[^A-Za-z0-9.]+", "-") + "-search");
    List<String> agent = List.of(ForkedJvm.javaagent(ForkedJvm.writeConfig(
        db.getFileName() + ".properties", s.config())));

    ForkedJvm.Result seed = s.app().run(agent, db, "seed", List.of(String.valueOf(ROWS)));

    assertThat(seed.exitCode()).as(seed.toString()).isZero();
    assertThat(seed.output()).contains("SEEDED " + ROWS);
    Map<Integer, Stored> rows = read(s, db);
    assertThat(rows).hasSize(ROWS);
    // two stored values with one equality index value: search for one, and for the other once its row is gone
    List<Integer> sharing = sharedTag(rows, Stored::equalityTag, i -> s.equalityValue().apply(i));
    int present = sharing.get(0);
    int absent = sharing.get(1);
    delete(s, db, absent);
    rows.remove(absent);
    // two distinct two-letter beginnings with one prefix index value
    List<Integer> prefixSharing = sharedTag(rows, Stored::prefixTag, i -> name(i).substring(0, 2));
    String prefix = name(prefixSharing.get(0)).substring(0, 2);
    String longer = name(prefixSharing.get(0)).substring(0, 3);
    List<String> prefixes = List.of(prefix, longer, "O_", "O_B", "O%", "x", "");
    List<String> args = new ArrayList<>();
    for (String value : List.of(s.equalityValue().apply(present), s.equalityValue().apply(absent), "nobody")) {
      args.add(s.equalityArg() + value);
    }
    prefixes.forEach(p -> args.add("p:" + p));

    ForkedJvm.Result search = s.app().run(agent, db, "search", args);

    assertThat(search.exitCode()).as(search.toString()).isZero();
    assertThat(lines(search.output())).containsExactlyElementsOf(expected(s, rows, present, absent, prefixes));
    assertStoresNoPlaintext(s, db);
  }

  private static List<String> expected(Searched s, Map<Integer, Stored> rows, int present, int absent,
      List<String> prefixes) {
    List<String> lines = new ArrayList<>();
    for (int i : new int[] {present, absent}) {
      String value = s.equalityValue().apply(i);
      lines.add(s.found().formatted(value, rows.containsKey(i) ? List.of(name(i)) : List.of()));
      lines.add(s.exists().formatted(value, rows.containsKey(i)));
    }
    lines.add(s.found().formatted("nobody", List.of()));
    lines.add(s.exists().formatted("nobody", false));
    for (String p : prefixes) {
      // the rows are read back in id order, which is the seeding order
      lines.add(s.startingWith().formatted(p, rows.keySet().stream().sorted().map(SearchIT::name)
          .filter(n -> n.startsWith(p)).toList()));
    }
    return lines;
  }

  private static List<String> lines(String output) {
    return output.lines().filter(line -> line.startsWith("FOUND ")).toList();
  }

  /** One stored row: its equality and prefix-2 index values. */
  record Stored(byte[] equalityTag, byte[] prefixTag) {}

  /** The seeded rows by index, told apart by their plaintext date; each row's encrypted columns are checked. */
  private static Map<Integer, Stored> read(Searched s, Path db) throws SQLException {
    Map<Integer, Stored> rows = new TreeMap<>();
    try (Connection c = s.app().connect(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select " + s.dayColumn() + ", " + s.equalityColumn() + ", "
            + s.prefixColumn() + ", " + s.equalityColumn() + "_bidx, " + s.prefixColumn() + "_p2 from " + s.table())) {
      while (rs.next()) {
        int i = (int) ChronoUnit.DAYS.between(FIRST_DAY, rs.getObject(1, LocalDate.class));
        byte[] equality = rs.getBytes(2);
        byte[] prefix = rs.getBytes(3);
        assertThat(Bytes.indexOf(equality, s.equalityValue().apply(i))).as(s.equalityColumn() + " of row " + i)
            .isNegative();
        assertThat(Bytes.indexOf(prefix, name(i))).as(s.prefixColumn() + " of row " + i).isNegative();
        assertThat(rs.getBytes(4)).as("the index value of row " + i).hasSize(2); // version byte, 8 bits
        rows.put(i, new Stored(rs.getBytes(4), rs.getBytes(5)));
      }
    }
    return rows;
  }

  /**
   * Two rows whose values (by {@code value}) differ but whose index values (by {@code tag}) are equal; there
   * are more distinct values than 8-bit index values, so such rows exist.
   */
  private static List<Integer> sharedTag(Map<Integer, Stored> rows, java.util.function.Function<Stored, byte[]> tag,
      IntFunction<String> value) {
    Map<String, Integer> firstByTag = new HashMap<>();
    for (Map.Entry<Integer, Stored> row : rows.entrySet()) {
      String key = Arrays.toString(tag.apply(row.getValue()));
      Integer other = firstByTag.putIfAbsent(key, row.getKey());
      if (other != null && !value.apply(other).equals(value.apply(row.getKey()))) {
        return List.of(other, row.getKey());
      }
    }
    throw new AssertionError("no two distinct values share an 8-bit index value among " + rows.size() + " rows");
  }

  private static void delete(Searched s, Path db, int i) throws SQLException {
    try (Connection c = s.app().connect(db);
        PreparedStatement delete = c.prepareStatement("delete from " + s.table() + " where " + s.dayColumn() + " = ?")) {
      delete.setObject(1, FIRST_DAY.plusDays(i));
      assertThat(delete.executeUpdate()).isEqualTo(1);
    }
  }

  /** Neither a searched value nor a name is anywhere in the database file. */
  private static void assertStoresNoPlaintext(Searched s, Path db) throws Exception {
    byte[] file = Files.readAllBytes(ShippedApp.dataFile(db));
    List<String> found = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      for (String plaintext : List.of(s.equalityValue().apply(i), name(i))) {
        if (Bytes.indexOf(file, plaintext) >= 0) {
          found.add(plaintext);
        }
      }
    }
    assertThat(found).as("plaintext in " + ShippedApp.dataFile(db)).isEmpty();
  }
}
