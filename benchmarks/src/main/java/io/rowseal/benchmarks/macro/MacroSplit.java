package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.SessionFactory;

/**
 * The macro workload's four entities (plaintext, plaintext as wide, the floor's AES-GCM in a converter
 * ({@link FloorCustomer}), encrypted) in turn, round after round, in
 * one JVM per database, so that load from other processes hits them alike, and where each round's time went:
 * the benchmark thread's CPU time, the CPU time of the JVM's other threads (JIT compilers, GC), the database
 * server's CPU time (PostgreSQL's processes, read from {@code /proc}; H2 runs in the benchmark thread), and the
 * rest of the wall time (waiting for the network, the scheduler). "Added" is encrypted minus plaintext per row;
 * split this way it shows whether what rowseal adds on a database server is client work or server work.
 */
public final class MacroSplit {
  static final int WARMUPS = 6;
  static final int ROUNDS = 16;
  static final String[] ENTITIES = {"plaintext", "wide", "floor", "encrypted"};
  /** Linux's clock tick for {@code /proc/<pid>/stat} (USER_HZ, 100 on every architecture it runs on). */
  private static final double TICK_MICROS = 10_000;

  /**
   * Per-row figures of one entity, µs: wall and benchmark-thread CPU (the best round), other JVM threads' CPU
   * and the server's CPU (the median round: their best is often a round in which they did nothing), bytes the
   * benchmark thread allocated per row (the least of the rounds); every round's values are in {@code rounds}.
   */
  public record Figure(double wall, double thread, double otherThreads, double server, double allocated,
      double[][] rounds) {
    /** The median round's wall time. */
    public double medianWall() {
      return median(rounds[0]);
    }

    /** The median round's benchmark-thread CPU. */
    public double medianThread() {
      return median(rounds[1]);
    }
  }

  private MacroSplit() {}

  /**
   * Every entity in turn (a different one first in each round), {@code warmups} + {@code rounds} rounds on
   * each of {@code databases}.
   */
  public static Map<String, Map<String, Figure>> measure(List<String> databases, boolean quick) {
    int warmups = quick ? 1 : WARMUPS;
    int rounds = quick ? 2 : ROUNDS;
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Map<String, Figure>> out = new LinkedHashMap<>();
    for (String id : databases) {
      System.out.println("== macro, interleaved on " + id);
      Database db = Database.of(id);
      Row[] rows = Row.random(Macro.ROWS, 3);
      byte[][][] wide = WideCustomer.columnsFor(rows);
      Map<String, double[][]> samples = new LinkedHashMap<>();
      try (SessionFactory sf = Macro.sessionFactory(db)) {
        if (!Macro.integrationActive(sf)) {
          throw new IllegalStateException("the rowseal Hibernate integration is not active on " + id);
        }
        for (int round = 0; round < warmups + rounds; round++) {
          for (int e = 0; e < ENTITIES.length; e++) {
            String entity = ENTITIES[(e + round) % ENTITIES.length];
            Macro.clear(sf);
            long server = db == Database.POSTGRESQL ? postgresTicks() : 0;
            long process = os.getProcessCpuTime();
            long thread = mx.getCurrentThreadCpuTime();
            long allocated = mx.getCurrentThreadAllocatedBytes();
            long wall = System.nanoTime();
            Macro.persistAndReadBack(sf, rows, wide, entity);
            long w = System.nanoTime() - wall;
            long t = mx.getCurrentThreadCpuTime() - thread;
            long a = mx.getCurrentThreadAllocatedBytes() - allocated;
            long p = os.getProcessCpuTime() - process;
            double s = db == Database.POSTGRESQL ? (postgresTicks() - server) * TICK_MICROS : 0;
            if (round >= warmups) {
              double[][] v = samples.computeIfAbsent(entity, k -> new double[5][rounds]);
              int i = round - warmups;
              v[0][i] = w / 1e3 / Macro.ROWS;
              v[1][i] = t / 1e3 / Macro.ROWS;
              v[2][i] = Math.max(0, p - t) / 1e3 / Macro.ROWS;
              v[3][i] = s / Macro.ROWS;
              v[4][i] = (double) a / Macro.ROWS;
            }
          }
        }
      }
      Map<String, Figure> figures = new LinkedHashMap<>();
      for (String entity : ENTITIES) {
        double[][] v = samples.get(entity);
        figures.put(entity, new Figure(min(v[0]), min(v[1]), median(v[2]), median(v[3]), min(v[4]), v));
      }
      out.put(id, figures);
    }
    return out;
  }

  /** The report's section: per database, each entity's split and what encrypted adds to plaintext. */
  public static String section(Map<String, Map<String, Figure>> split, boolean quick) {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## Macro, interleaved: where the time goes"
        + "%n%nThe macro round (persist %,d rows, clear, read back) of the four entities in turn, %d + %d rounds"
        + " in one JVM per database (a different entity first in each round); `floor` is the engine's floor (raw"
        + " AES-256-GCM, one static key, a random IV per field) in a JPA converter. µs per row, best round (medians"
        + " in brackets): wall time; the benchmark thread's CPU time; median rounds: the CPU time of the JVM's"
        + " other threads (JIT compilers, GC), the database server's CPU time (PostgreSQL's processes, from"
        + " /proc, 10 ms ticks: ±1 µs per row; H2 runs in the benchmark thread); bytes the benchmark thread"
        + " allocated per row.%n%n| database | entity | wall | benchmark thread CPU | other JVM threads CPU | server CPU |"
        + " allocated B/row |%n|---|---|---:|---:|---:|---:|---:|%n", Macro.ROWS, quick ? 1 : WARMUPS,
        quick ? 2 : ROUNDS));
    split.forEach((db, figures) -> {
      figures.forEach((entity, f) -> md.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f) | %.2f (%.2f)"
          + " | %.2f | %.2f | %,.0f |%n", db, entity, f.wall(), f.medianWall(), f.thread(), f.medianThread(),
          f.otherThreads(), f.server(), f.allocated())));
      Figure p = figures.get("plaintext");
      difference(md, db, "**added** (encrypted − plaintext)", figures.get("encrypted"), p);
      difference(md, db, "floor added (floor − plaintext)", figures.get("floor"), p);
    });
    return md.toString();
  }

  private static void difference(StringBuilder md, String db, String what, Figure e, Figure p) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %+.2f (%+.2f) | %+.2f (%+.2f) | %+.2f | %+.2f | %+,.0f |%n",
        db, what, e.wall() - p.wall(), e.medianWall() - p.medianWall(), e.thread() - p.thread(),
        e.medianThread() - p.medianThread(), e.otherThreads() - p.otherThreads(), e.server() - p.server(),
        e.allocated() - p.allocated()));
  }

  /**
   * CPU ticks (user + system) of every process named {@code postgres*} on this machine. A backend's ticks leave
   * the sum when its process ends: read it while the connections measured are open (the pool keeps them).
   */
  static long postgresTicks() {
    long sum = 0;
    java.io.File[] procs = new java.io.File("/proc").listFiles();
    if (procs == null) {
      return 0;
    }
    for (java.io.File d : procs) {
      if (!d.getName().chars().allMatch(Character::isDigit)) {
        continue;
      }
      try {
        if (!Files.readString(d.toPath().resolve("comm")).startsWith("postgres")) {
          continue;
        }
        String stat = Files.readString(d.toPath().resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException gone) {
        // the process ended between the listing and the read: its ticks are no longer anyone's
      }
    }
    return sum;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  /** {@code java -cp benchmarks.jar io.rowseal.benchmarks.macro.MacroSplit [--quick] [database…]}. */
  public static void main(String[] args) throws IOException {
    boolean quick = Arrays.asList(args).contains("--quick");
    List<String> databases = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    if (databases.isEmpty()) {
      databases = Database.MACRO.stream().filter(Database::reachable).map(Database::id).toList();
    }
    String md = section(measure(databases, quick), quick);
    System.out.print(md);
    Path out = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
    Files.createDirectories(out);
    Files.writeString(out.resolve(java.time.LocalDate.now() + "-macro-split.md"), md);
  }
}
