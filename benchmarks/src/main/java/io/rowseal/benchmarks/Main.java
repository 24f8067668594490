package io.rowseal.benchmarks;

import io.rowseal.benchmarks.macro.Database;
import io.rowseal.benchmarks.macro.HibernateBenchmark;
import io.rowseal.benchmarks.macro.Macro;
import io.rowseal.benchmarks.macro.MacroSplit;
import io.rowseal.benchmarks.micro.RowsealColdBenchmark;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and writes {@code results/<date>.md} (tables, ratios, verdicts against the
 * targets), {@code results/<date>.svg} (the ratio chart) and {@code results/<date>-profile.md} (JFR
 * summary of the engine's hot path); a later run on the same day writes {@code <date>-2.*} and so on.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick] [--no-macro] [--no-migration] [--no-profile] [--no-scaling] [--out DIR]
 * </pre>
 * {@code --quick} is a smoke run (seconds per benchmark, figures not worth quoting). Any JMH
 * benchmark can also be run alone: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main
 * RowsealBenchmark}.
 */
public final class Main {
  static final String[] FORK_JVM_ARGS = {"-Xms2g", "-Xmx2g",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.jboss.logging.provider=slf4j"};

  /**
   * The heap of the JVM that takes the interleaved, scaling and macro-split figures: fixed and touched at start.
   * A JVM still touching fresh heap pages charges each first touch to whatever allocates (on the machine of
   * 2026-12-03's evening, a paravirtualised guest, 4–9% of a row's CPU time was page faults), so code that
   * allocates more looked slower than it runs once the heap is warm; a service's JVM long past its start is.
   */
  static final String[] MAIN_HEAP = {"-Xms4g", "-Xmx4g"};
  private static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  private Main() {}

  /**
   * Unless this JVM's heap was touched in advance: runs {@code main} again in a JVM with {@link #MAIN_HEAP}
   * touched in advance, with this JVM's other options ({@code -Drowseal.*} settings among them), and exits with
   * its exit code. Returns only in a JVM whose heap was touched in advance.
   */
  static void relaunchPreTouched(Class<?> main, String[] args) throws Exception {
    if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains(PRE_TOUCH)) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-Xms") && !option.startsWith("-Xmx")) {
        command.add(option);
      }
    }
    command.addAll(List.of(MAIN_HEAP));
    command.add(PRE_TOUCH);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    System.exit(new ProcessBuilder(command).inheritIO().start().waitFor());
  }

  public static void main(String[] args) throws Exception {
    relaunchPreTouched(Main.class, args);
    List<String> a = Arrays.asList(args);
    boolean quick = a.contains("--quick");
    Path out = outDir(a);
    for (String arg : args) {
      if (arg.startsWith("--")
          && !List.of("--quick", "--no-macro", "--no-migration", "--no-profile", "--no-scaling", "--out").contains(arg)) {
        throw new IllegalArgumentException("unknown option " + arg + "; usage: java -jar benchmarks.jar [--quick]"
            + " [--no-macro] [--no-migration] [--no-profile] [--no-scaling] [--out DIR]");
      }
    }
    Files.createDirectories(out);
    long start = System.nanoTime();
    String machine = machine();
    String date = Results.runName(out, quick ? "-quick" : "");

    Results results = new Results();
    System.out.println("== micro benchmarks");
    results.add(new Runner(micro(quick, FAST_MICRO, 10).build()).run());
    results.add(new Runner(micro(quick, SLOW_MICRO, 4).build()).run());

    List<String> databases = new ArrayList<>();
    String macroNote = "";
    Map<String, Map<String, MacroSplit.Figure>> macroSplit = null;
    if (!a.contains("--no-macro")) {
      databases = reachable(Database.MACRO);
      boolean integration = integrationActive();
      if (!integration) {
        macroNote = "the rowseal Hibernate integration is not on this build's class path yet, so @Encrypted"
            + " fields are stored as plaintext; only the plaintext baseline was measured";
      }
      System.out.println("== macro benchmarks on " + databases + (integration ? "" : " (plaintext only)"));
      results.add(new Runner(macro(quick, databases, integration).build()).run());
      if (integration) {
        macroSplit = MacroSplit.measure(databases, quick);
      }
    }

    String migration = null;
    if (!a.contains("--no-migration")) {
      System.out.println("== migration job");
      List<String> migrationDatabases = reachable(List.of(Database.values()));
      results.add(new Runner(Migration.options(quick, migrationDatabases).build()).run());
      migration = Migration.section(results, Migration.interleaved(migrationDatabases, quick), quick);
    }

    System.out.println("== storage, KMS calls, cold-cache check");
    Contenders contenders = Contenders.create();
    List<Storage.Entry> storage = Storage.all(contenders, Row.random(1, 5)[0]);
    contenders.rowseal().close();
    KmsEconomics.Counts kms = KmsEconomics.count();
    double coldMisses = RowsealColdBenchmark.ColdCacheCheck.missesPerRow(20_000);
    System.out.println("== interleaved ratios");
    var interleaved = Interleaved.measure(quick, true);
    java.util.Map<String, Scaling.Figure> scaling = null;
    if (!a.contains("--no-scaling")) {
      System.out.println("== scaling from 1 to 2 threads");
      scaling = Scaling.measure(quick ? 6 : 40);
    }

    String profileName = null;
    if (!a.contains("--no-profile")) {
      System.out.println("== JFR profile of the engine");
      profileName = date + "-profile.md";
      Files.writeString(out.resolve(profileName), Profile.run(quick, out.resolve("jfr"), FORK_JVM_ARGS, date)
          + (databases.isEmpty() ? "" : "\n" + MacroProfile.run(quick, out.resolve("jfr"), FORK_JVM_ARGS, databases)));
    }

    String wall = Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s";
    String settings = quick ? "--quick smoke run: 1 fork, warm-up 1 × 0.5 s, 2 × 0.5 s measured"
        : "1 fork per benchmark, warm-up 10 × 1 s (DB-ESDK, Jasypt: 4 × 1 s), 8 × 0.5 s measured, CPU time and allocation profiled (macro: 10 + 20 single shots of"
        + " 10,000 rows; migration: " + Migration.settings(false) + "), fork heap 2 GB, one benchmark thread;"
        + " interleaved, scaling and macro split in the command's own JVM, heap 4 GB touched at start";
    Report.Run run = new Report.Run(date, machine, settings, results, interleaved, databases, macroNote, migration,
        storage, kms, coldMisses, wall, scaling, macroSplit);
    String svgName = date + ".svg";
    Files.writeString(out.resolve(svgName), Report.svg(run), StandardCharsets.UTF_8);
    Path md = out.resolve(date + ".md");
    Files.writeString(md, Report.markdown(run, svgName, profileName), StandardCharsets.UTF_8);
    System.out.println("== wrote " + md.toAbsolutePath() + " in " + wall);
  }

  /**
   * The microsecond-scale benchmarks get a longer warm-up: on a loaded 2-core machine the JIT compiler
   * threads are starved too, and the engine's deeper call tree is the last to reach steady state.
   */
  private static final String MICRO = "io\\.rowseal\\.benchmarks\\.micro\\.";
  private static final String FAST_MICRO = MICRO + "(Floor|Rowseal|RowsealCold|Tink)Benchmark\\..*";
  private static final String SLOW_MICRO = MICRO + "(DbEsdk|DbEsdkNoEcdsa|JasyptStandard|JasyptAes256)Benchmark\\..*";

  static ChainedOptionsBuilder micro(boolean quick, String include, int warmups) {
    return common(quick)
        .include(include)
        .addProfiler(WorkerCpuProfiler.class)
        .addProfiler(GCProfiler.class)
        .warmupIterations(quick ? 1 : warmups)
        .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
        .measurementIterations(quick ? 2 : 8)
        .measurementTime(TimeValue.milliseconds(500));
  }

  private static ChainedOptionsBuilder macro(boolean quick, List<String> databases, boolean encrypted) {
    return common(quick)
        .include(HibernateBenchmark.class.getName() + "\\..*")
        .param("database", databases.toArray(String[]::new))
        .param("entity", encrypted ? new String[] {"plaintext", "wide", "encrypted"} : new String[] {"plaintext"})
        .warmupIterations(quick ? 1 : 10)
        .measurementIterations(quick ? 2 : 20); // the "added" figure is a difference of two noisy minima
  }

  static ChainedOptionsBuilder common(boolean quick) {
    List<String> jvm = new ArrayList<>(Arrays.asList(FORK_JVM_ARGS));
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("rowseal.")) {
        jvm.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    return new OptionsBuilder().forks(1).threads(1).jvmArgsAppend(jvm.toArray(String[]::new))
        .shouldFailOnError(false);
  }

  /** Whether {@code @Encrypted} values reach the database encrypted (checked once, on H2). */
  private static boolean integrationActive() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.jboss.logging.provider", "slf4j");
    try (SessionFactory sf = Macro.sessionFactory(Database.H2)) {
      return Macro.integrationActive(sf);
    }
  }

  /** The ids of those of {@code candidates} that answer, in their order; prints the ones skipped. */
  static List<String> reachable(List<Database> candidates) {
    List<String> ids = new ArrayList<>();
    for (Database db : candidates) {
      if (db.reachable()) {
        ids.add(db.id());
      } else {
        System.out.println("== " + db.id() + " is not reachable: skipped");
      }
    }
    return ids;
  }

  static Path outDir(List<String> a) {
    int i = a.indexOf("--out");
    if (i >= 0) {
      if (i + 1 >= a.size()) {
        throw new IllegalArgumentException("--out needs a directory");
      }
      return Path.of(a.get(i + 1));
    }
    // From the repository root, results go into the module's results/ folder.
    return Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
  }

  /** The machine, JVM and load average, for a report's head. */
  public static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (Exception e) {
      // not Linux: keep "unknown CPU"
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format(Locale.ROOT, "%s, %d cores, %.0f GB RAM; %s %s on %s %s; load average at start %.2f",
        cpu, Runtime.getRuntime().availableProcessors(),
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() / 1e9,
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("os.name"), System.getProperty("os.version"), load);
  }
}
