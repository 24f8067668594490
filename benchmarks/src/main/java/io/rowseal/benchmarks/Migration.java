package io.rowseal.benchmarks;

import io.rowseal.benchmarks.macro.Database;
import io.rowseal.benchmarks.macro.MigrationBenchmark;
import io.rowseal.benchmarks.macro.MigrationWorkload;
import io.rowseal.benchmarks.macro.MigrationWorkload.Job;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * The migration job's throughput on every database that answers, each job beside its baseline from the
 * same run, measured twice: by JMH ({@link MigrationBenchmark}: one fork per database and job, best pass),
 * and interleaved ({@link #interleaved}: in one JVM per database the jobs take turns, baseline, encrypt,
 * re-encrypt, second pass, again and again, so that a burst of load from another process hits a job and
 * its baseline alike; the ratios to the baseline come from these rounds). Part of {@link Main}'s run;
 * alone (about ten minutes on 2 cores) it writes {@code results/<date>-migration.md}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.Migration [--quick] [--out DIR]
 * </pre>
 */
public final class Migration {
  static final int ROWS = 10_000;
  static final int QUICK_ROWS = 2_000;
  /** Passes before the measured ones: the job's code paths were still getting faster after the second. */
  static final int WARMUPS = 3;
  static final int MEASURED = 5;
  /** Interleaved rounds: the first ones warm up and are not counted. */
  static final int ROUND_WARMUPS = 3;
  static final int ROUNDS = 8;

  /**
   * One job's interleaved figures on one database: the best pass's wall time and its thread's CPU time
   * (µs), its time over the baseline's (best over best; median of the rounds' own ratios).
   */
  record Round(double bestWall, double bestCpu, double bestRatio, double medianRatio) {}

  private static final String[][] JOBS = {
      {Job.BASELINE.id(), "baseline: plain JDBC, keyset read + batched `UPDATE` of the same rows"},
      {Job.ENCRYPT.id(), "legacy plaintext → encrypted and signed"},
      {Job.REENCRYPT.id(), "re-encryption under a new branch-key version"},
      {Job.CURRENT.id(), "second pass, every row already current"}};

  private Migration() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    for (String arg : args) {
      if (arg.startsWith("--") && !List.of("--quick", "--out").contains(arg)) {
        throw new IllegalArgumentException("unknown option " + arg + "; usage: java -cp benchmarks.jar "
            + Migration.class.getName() + " [--quick] [--out DIR]");
      }
    }
    boolean quick = a.contains("--quick");
    Path out = Main.outDir(a);
    Files.createDirectories(out);
    long start = System.nanoTime();
    String machine = Main.machine();
    List<String> databases = Main.reachable(List.of(Database.values()));
    Results results = new Results();
    results.add(new Runner(options(quick, databases).build()).run());
    Map<String, Map<Job, Round>> rounds = interleaved(databases, quick);
    String name = Results.runName(out, quick ? "-migration-quick" : "-migration");
    String md = "# rowseal migration job, " + name + "\n\n- Machine: " + machine + "\n- Settings: " + settings(quick)
        + "\n- Wall time: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s\n\n"
        + section(results, rounds, quick);
    Files.writeString(out.resolve(name + ".md"), md, StandardCharsets.UTF_8);
    System.out.print(md);
  }

  static ChainedOptionsBuilder options(boolean quick, List<String> databases) {
    return Main.common(quick)
        .include(MigrationBenchmark.class.getName() + "\\..*")
        .param("database", databases.toArray(String[]::new))
        .param("rows", Integer.toString(quick ? QUICK_ROWS : ROWS))
        .warmupIterations(quick ? 1 : WARMUPS)
        .measurementIterations(quick ? 2 : MEASURED);
  }

  static String settings(boolean quick) {
    return String.format(Locale.ROOT, "passes of %,d rows, batches of %d; JMH: 1 fork per database and job, %d + %d"
        + " single passes (warm-up + measured), fork heap 2 GB; interleaved: one JVM per database, %d + %d rounds"
        + " of every job", quick ? QUICK_ROWS : ROWS, MigrationWorkload.BATCH, quick ? 1 : WARMUPS,
        quick ? 2 : MEASURED, quick ? 1 : ROUND_WARMUPS, quick ? 2 : ROUNDS);
  }

  /**
   * Every job in turn, round after round, in this JVM, one database after the other: per database and
   * job its best pass and its time over the baseline's (best over best, and the median of the rounds' own
   * ratios).
   */
  static Map<String, Map<Job, Round>> interleaved(List<String> databases, boolean quick) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.jboss.logging.provider", "slf4j");
    int warmups = quick ? 1 : ROUND_WARMUPS;
    int rounds = quick ? 2 : ROUNDS;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Map<Job, Round>> out = new LinkedHashMap<>();
    for (String db : databases) {
      System.out.println("== migration, interleaved on " + db);
      Map<Job, double[][]> samples = new EnumMap<>(Job.class);
      try (MigrationWorkload w = MigrationWorkload.open(Database.of(db), quick ? QUICK_ROWS : ROWS)) {
        for (int round = 0; round < warmups + rounds; round++) {
          for (Job job : Job.values()) {
            w.prepare(job);
            long cpu = mx.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            w.run(job);
            if (round >= warmups) {
              double[][] s = samples.computeIfAbsent(job, j -> new double[2][rounds]);
              s[0][round - warmups] = (System.nanoTime() - wall) / 1e3;
              s[1][round - warmups] = (mx.getCurrentThreadCpuTime() - cpu) / 1e3;
            }
          }
        }
      }
      double[] base = samples.get(Job.BASELINE)[0];
      Map<Job, Round> figures = new EnumMap<>(Job.class);
      samples.forEach((job, s) -> {
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          ratios[i] = s[0][i] / base[i];
        }
        figures.put(job, new Round(min(s[0]), min(s[1]), min(s[0]) / min(base), median(ratios)));
      });
      out.put(db, figures);
    }
    return out;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  static String key(String database, String job, int rows) {
    return "MigrationBenchmark.migrate[" + database + "," + job + "," + rows + "]";
  }

  /**
   * The report's section: per database and job, the interleaved ratios to the baseline, and rows/s from
   * the interleaved rounds and from JMH's separate forks.
   */
  static String section(Results r, Map<String, Map<Job, Round>> rounds, boolean quick) {
    int rows = quick ? QUICK_ROWS : ROWS;
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## Migration job (`RowMigration`), %,d rows"
        + " per pass%n%n", rows));
    md.append("`SealedCustomer` (three `@Encrypted` text fields of 16, 32 and 64 bytes, signed rows), batches of ")
        .append(MigrationWorkload.BATCH).append(", no throttle, no application load; rowseal's defaults with an"
        + " in-memory KMS and key store and transition reads on. \"× baseline\" is the pass's wall time over the"
        + " baseline's on the same database: from the interleaved rounds, best over best and the median of each"
        + " round's own ratio. rows/s from the best pass (interleaved, and JMH in separate forks); the job"
        + " thread's CPU time per row from the interleaved rounds (for PostgreSQL and MariaDB the server's work is"
        + " not in it).\n\n| database | job | × baseline (best) | × baseline (median) | rows/s, interleaved"
        + " | rows/s, JMH | job thread CPU µs/row |\n|---|---|---:|---:|---:|---:|---:|\n");
    rounds.forEach((db, jobs) -> {
      for (String[] job : JOBS) {
        Round f = jobs.get(Job.of(job[0]));
        double jmh = r.micros(key(db, job[0], rows));
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", db, job[1],
            Report.ratio(f.bestRatio()), Report.ratio(f.medianRatio()), rate(rows, f.bestWall()), rate(rows, jmh),
            Report.fmt(f.bestCpu() / rows)));
      }
    });
    return md.toString();
  }

  private static String rate(int rows, double micros) {
    return Double.isNaN(micros) ? "–" : String.format(Locale.ROOT, "%,.0f", rows / (micros / 1e6));
  }
}
