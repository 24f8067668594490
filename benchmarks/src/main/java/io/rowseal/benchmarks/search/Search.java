package io.rowseal.benchmarks.search;

import io.rowseal.benchmarks.macro.Database;
import io.rowseal.benchmarks.search.SearchWorkload.Kind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The blind index's cost (issue 17, "Speed"; issue 19): looking one person up by a {@code @Searchable}
 * email among {@code search.rows} rows (1,000,000 by default) against the same lookup on a plaintext
 * indexed column, and the insert cost per row with the index, without it and in plaintext. Alone (4–9
 * minutes for 1,000,000 rows on 2 cores, most of it seeding) it writes {@code results/<date>-search.md}:
 *
 * <pre>
 * java -Dsearch.rows=1000000 -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.search.Search
 *     [--database postgresql|h2|mariadb] [--out DIR]
 * </pre>
 *
 * <p>Seeding is the insert benchmark: the four tables grow together, chunk by chunk, in turns (plain,
 * encrypted, indexed, unique, again), each chunk one Hibernate transaction with JDBC batches, so that load
 * from other processes and the tables' growth hit every kind alike. Lookups are interleaved the same way:
 * round after round, every operation looks up the same random rows, row by row (each operation looks
 * row j up before any looks row j + 1 up), each lookup in a session of its own.
 * The tables are dropped at the end.
 */
public final class Search {
  static final int DEFAULT_ROWS = 1_000_000;
  static final int CHUNK = 10_000;
  static final int WARMUPS = 5;
  static final int ROUNDS = 40;
  static final int LOOKUPS = 200;

  /** One operation's figures per lookup or per row, µs: best and median round, wall and this thread's CPU. */
  record Figure(double bestWall, double medianWall, double bestCpu, double medianCpu) {}

  private interface Op {
    long run(int row);
  }

  private Search() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    for (int i = 0; i < args.length; i++) {
      if (!List.of("--database", "--out").contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; usage: java -Dsearch.rows=N -cp"
            + " benchmarks.jar " + Search.class.getName() + " [--database postgresql|h2|mariadb] [--out DIR]");
      }
      i++;
    }
    int rows = Integer.getInteger("search.rows", DEFAULT_ROWS);
    int rounds = Integer.getInteger("search.rounds", ROUNDS);
    int db = a.indexOf("--database");
    Database database = Database.of(db >= 0 ? a.get(db + 1) : "postgresql");
    int o = a.indexOf("--out");
    Path out = o >= 0 ? Path.of(a.get(o + 1))
        : Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
    Files.createDirectories(out);
    if (!database.reachable()) {
      throw new IllegalStateException(database.id() + " does not answer at " + database.url());
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.jboss.logging.provider", "slf4j");
    String machine = io.rowseal.benchmarks.Main.machine();
    long start = System.nanoTime();
    StringBuilder md = new StringBuilder();
    try (SearchWorkload w = SearchWorkload.open(database)) {
      long seedStart = System.nanoTime();
      Map<Kind, Figure> inserts = seed(w, rows);
      long seedNanos = System.nanoTime() - seedStart;
      w.analyze();
      Map<String, Figure> lookups = lookups(w, rows, rounds);
      String name = io.rowseal.benchmarks.Results.runName(out, "-search");
      md.append("# rowseal blind index, ").append(name).append("\n\n- Machine: ").append(machine)
          .append("\n- Database: ").append(database.id()).append(" at ").append(database.url())
          .append(String.format(Locale.ROOT, "%n- Rows per table: %,d (four tables: %s)%n", rows,
              Arrays.stream(Kind.values()).map(Kind::table).toList()))
          .append(String.format(Locale.ROOT, "- Seeding (all four tables, through Hibernate): %.0f s%n",
              seedNanos / 1e9))
          .append(String.format(Locale.ROOT, "- Lookups: %d + %d rounds of %d random rows per operation, each"
              + " lookup in a session of its own%n", WARMUPS, rounds, LOOKUPS))
          .append(report(w, rows, inserts, lookups))
          .append(String.format(Locale.ROOT, "%n- Wall time: %d s%n",
              Duration.ofNanos(System.nanoTime() - start).toSeconds()));
      Files.writeString(out.resolve(name + ".md"), md, StandardCharsets.UTF_8);
    }
    System.out.print(md);
  }

  /** Seeds {@code rows} rows into every table in turns of {@link #CHUNK}; per kind, µs per inserted row. */
  static Map<Kind, Figure> seed(SearchWorkload w, int rows) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int chunk = Math.min(CHUNK, Math.max(SearchWorkload.BATCH, rows / 20));
    Map<Kind, List<double[]>> samples = new EnumMap<>(Kind.class);
    for (int done = 0; done < rows; done += chunk) {
      int n = Math.min(chunk, rows - done);
      for (Kind k : Kind.values()) {
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        w.insert(k, n);
        samples.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {
            (System.nanoTime() - wall) / 1e3 / n, (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n});
      }
      if ((done / chunk) % 10 == 0) {
        System.out.printf(Locale.ROOT, "== seeded %,d rows per table%n", done + n);
      }
    }
    Map<Kind, Figure> out = new EnumMap<>(Kind.class);
    samples.forEach((k, s) -> out.put(k, figure(s)));
    return out;
  }

  /** The lookups and their parts, interleaved; per operation, µs per lookup. */
  static Map<String, Figure> lookups(SearchWorkload w, int rows, int rounds) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    // Three sets of rows per round, so that each part reads its rows' pages as cold as the whole lookup
    // does (1,000,000 rows do not fit PostgreSQL's shared buffers): the Hibernate operations on set 0 (the
    // loads after the lookups, as the entity read after the main query does), the JDBC parts on set 1 in a
    // lookup's order (side query, then main query), the side query without decryption on set 2.
    Map<String, Op> ops = new LinkedHashMap<>();
    Map<String, Integer> sets = new LinkedHashMap<>();
    int[][] keys = new int[3][LOOKUPS];
    byte[][][] tags = new byte[3][LOOKUPS][];
    byte[][][] uniqueTags = new byte[3][LOOKUPS][];
    byte[][][] vetted = new byte[3][LOOKUPS][];
    int[] at = new int[1];
    ops.put("plain", i -> w.lookup(Kind.PLAIN, i));
    ops.put("indexed", i -> w.lookup(Kind.INDEXED, i));
    ops.put("unique", i -> w.lookup(Kind.UNIQUE, i));
    ops.put("plain.load", i -> w.load(Kind.PLAIN, i));
    ops.put("indexed.load", i -> w.load(Kind.INDEXED, i));
    ops.put("plain.jdbc", w::jdbcLookup);
    ops.put("indexed.side+decrypt", i -> check(w.candidates(Kind.INDEXED, i, tags[1][at[0]], true)));
    ops.put("indexed.main", i -> one(w.mainQuery(Kind.INDEXED, tags[1][at[0]], vetted[1][at[0]])));
    ops.put("indexed.main, tag twice", i -> one(w.mainQuery(Kind.INDEXED, tags[1][at[0]], tags[1][at[0]],
        vetted[1][at[0]])));
    ops.put("unique.side+decrypt", i -> check(w.candidates(Kind.UNIQUE, i, uniqueTags[1][at[0]], true)));
    ops.put("indexed.side", i -> w.candidates(Kind.INDEXED, i, tags[2][at[0]], false));
    for (String op : ops.keySet()) {
      sets.put(op, op.equals("indexed.side") ? 2 : op.contains(".side") || op.endsWith(".main")
          || op.endsWith(".jdbc") ? 1 : 0);
    }
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    long[] candidates = new long[2];
    SplittableRandom random = new SplittableRandom(17);
    for (int round = 0; round < WARMUPS + rounds; round++) {
      // Read before the round for every set alike: each searched row's own page is warm in every operation.
      for (int set = 0; set < 3; set++) {
        for (int j = 0; j < LOOKUPS; j++) {
          int key = random.nextInt(rows);
          keys[set][j] = key;
          tags[set][j] = w.storedTag(Kind.INDEXED, key);
          uniqueTags[set][j] = w.storedTag(Kind.UNIQUE, key);
          vetted[set][j] = w.stored(Kind.INDEXED, "email", key);
          w.stored(Kind.PLAIN, "id", key);
        }
      }
      // Interleaved by lookup: every operation looks row j up before any looks row j + 1 up.
      double[][] sums = new double[ops.size()][2];
      for (int j = 0; j < LOOKUPS; j++) {
        at[0] = j;
        int o = 0;
        for (Map.Entry<String, Op> op : ops.entrySet()) {
          long cpu = mx.getCurrentThreadCpuTime();
          long wall = System.nanoTime();
          long result = op.getValue().run(keys[sets.get(op.getKey())][j]);
          sums[o][0] += System.nanoTime() - wall;
          sums[o][1] += mx.getCurrentThreadCpuTime() - cpu;
          if (round >= WARMUPS && op.getKey().equals("indexed.side")) {
            candidates[0] += result;
            candidates[1]++;
          }
          o++;
        }
      }
      if (round >= WARMUPS) {
        int o = 0;
        for (String op : ops.keySet()) {
          samples.computeIfAbsent(op, x -> new ArrayList<>()).add(new double[] {sums[o][0] / 1e3 / LOOKUPS,
              sums[o][1] / 1e3 / LOOKUPS});
          o++;
        }
      }
      System.out.printf(Locale.ROOT, "== lookup round %d of %d%n", round + 1, WARMUPS + rounds);
    }
    Map<String, Figure> out = new LinkedHashMap<>();
    samples.forEach((k, s) -> out.put(k, figure(s)));
    out.put("candidates per lookup", new Figure((double) candidates[0] / candidates[1], 0, 0, 0));
    List<Double> ratios = new ArrayList<>();
    List<Double> uniqueRatios = new ArrayList<>();
    for (int r = 0; r < samples.get("plain").size(); r++) {
      ratios.add(samples.get("indexed").get(r)[0] / samples.get("plain").get(r)[0]);
      uniqueRatios.add(samples.get("unique").get(r)[0] / samples.get("plain").get(r)[0]);
    }
    out.put("ratio indexed/plain", new Figure(out.get("indexed").bestWall() / out.get("plain").bestWall(),
        median(ratios.stream().mapToDouble(Double::doubleValue).toArray()), 0, 0));
    out.put("ratio unique/plain", new Figure(out.get("unique").bestWall() / out.get("plain").bestWall(),
        median(uniqueRatios.stream().mapToDouble(Double::doubleValue).toArray()), 0, 0));
    return out;
  }

  /** The side query with decryption must find exactly the row searched for among its candidates. */
  private static long check(int candidatesAndMatches) {
    if (candidatesAndMatches % 1000 != 1) {
      throw new IllegalStateException("the side query's candidates hold the email " + candidatesAndMatches % 1000
          + " times, not once");
    }
    return candidatesAndMatches / 1000;
  }

  private static long one(int rows) {
    if (rows != 1) {
      throw new IllegalStateException("the main query found " + rows + " rows, not one");
    }
    return rows;
  }

  private static Figure figure(List<double[]> samples) {
    double[] wall = samples.stream().mapToDouble(s -> s[0]).toArray();
    double[] cpu = samples.stream().mapToDouble(s -> s[1]).toArray();
    return new Figure(Arrays.stream(wall).min().orElseThrow(), median(wall), Arrays.stream(cpu).min().orElseThrow(),
        median(cpu));
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private static String report(SearchWorkload w, int rows, Map<Kind, Figure> inserts, Map<String, Figure> lookups) {
    StringBuilder md = new StringBuilder();
    Figure ratio = lookups.get("ratio indexed/plain");
    Figure unique = lookups.get("ratio unique/plain");
    md.append(String.format(Locale.ROOT, "%n## Lookup by email, one row found among %,d%n%n", rows))
        .append(String.format(Locale.ROOT, "**indexed / plain: %.2f× (best round over best round), %.2f× (median of"
            + " the rounds' own ratios)**; unique / plain: %.2f× (best), %.2f× (median). Target: ≤ 2×.%n%n",
            ratio.bestWall(), ratio.medianWall(), unique.bestWall(), unique.medianWall()))
        .append(String.format(Locale.ROOT, "Candidates per lookup from the 17-bit index: %.2f rows.%n%n",
            lookups.get("candidates per lookup").bestWall()))
        .append("µs per lookup, per round's mean; wall time and this thread's CPU time (the server's work is not in"
            + " the CPU column).\n\n| operation | what it is | best wall | median wall | best CPU | median CPU |\n"
            + "|---|---|---:|---:|---:|---:|\n");
    Map<String, String> what = new LinkedHashMap<>();
    what.put("plain", "Hibernate `from PlainPerson where email = :e`, plaintext indexed column");
    what.put("indexed", "Hibernate `from IndexedPerson where email = :e`, `@Encrypted @Searchable` (17 bits)");
    what.put("unique", "Hibernate `from UniquePerson where email = :e`, `@Searchable(unique = true)` (256 bits)");
    what.put("plain.load", "part: Hibernate `find` by id of the plaintext row (no search)");
    what.put("indexed.load", "part: Hibernate `find` by id of the encrypted row (decrypt + verify its signature)");
    what.put("plain.jdbc", "part: plain JDBC `select id, email … where email = ?` (the database's floor)");
    what.put("indexed.side+decrypt", "part: the side query and each candidate decrypted (what `exactRows` does)");
    what.put("indexed.main", "part: plain JDBC main query `… where email_bidx in (?, ?) and position(email in ?) > 0`");
    what.put("indexed.main, tag twice", "part: the same with the active tag in both slots instead of `NULL`"
        + " (PostgreSQL can keep a generic plan)");
    what.put("unique.side+decrypt", "part: the same on the unique index (one candidate)");
    what.put("indexed.side", "part: plain JDBC side query `select email … where email_bidx in (?)`, no decryption");
    what.forEach((k, text) -> {
      Figure f = lookups.get(k);
      md.append(String.format(Locale.ROOT, "| `%s` | %s | %.1f | %.1f | %.1f | %.1f |%n", k, text, f.bestWall(),
          f.medianWall(), f.bestCpu(), f.medianCpu()));
    });
    md.append("\n## Insert, µs per row\n\nSeeding chunks of ").append(Math.min(CHUNK, Math.max(SearchWorkload.BATCH,
        rows / 20))).append(" rows, one Hibernate transaction each, JDBC batches of ").append(SearchWorkload.BATCH)
        .append(", the four tables in turns; best and median chunk.\n\n| table | best wall | median wall | best CPU |"
            + " median CPU | median wall over plain |\n|---|---:|---:|---:|---:|---:|\n");
    double plain = inserts.get(Kind.PLAIN).medianWall();
    inserts.forEach((k, f) -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f× |%n",
        k.id(), f.bestWall(), f.medianWall(), f.bestCpu(), f.medianCpu(), f.medianWall() / plain)));
    if (w.database() == Database.POSTGRESQL) {
      md.append("\n## PostgreSQL: sizes and plans\n\n| table | table + indexes | email index |\n|---|---:|---:|\n");
      for (Kind k : Kind.values()) {
        String index = switch (k) {
          case PLAIN -> "ix_rsbsearch_plain_email";
          case SEALED -> null;
          default -> w.rows("select indexrelid::regclass::text from pg_index where indrelid = '" + k.table()
              + "'::regclass and not indisprimary").stream().findFirst().orElse(null);
        };
        md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", k.table(),
            w.rows("select pg_size_pretty(pg_total_relation_size('" + k.table() + "'))").get(0),
            index == null ? "–" : index + ": " + w.rows("select pg_size_pretty(pg_relation_size('" + index + "'))")
                .get(0)));
      }
      byte[] tag = w.storedTag(Kind.INDEXED, rows / 2);
      md.append("\n```\n").append(String.join("\n", w.rows("explain select id, email from rsbsearch_plain where"
          + " email = ?", SearchWorkload.email(rows / 2)))).append("\n\n").append(String.join("\n",
          w.rows("explain select email from rsbsearch_indexed where email_bidx in (?)", tag))).append("\n\n")
          .append(String.join("\n", w.rows("explain select id, email from rsbsearch_indexed where email_bidx in (?)"
          + " and position(email in ?) > 0", tag, new byte[] {1}))).append("\n```\n");
    }
    return md.toString();
  }
}
