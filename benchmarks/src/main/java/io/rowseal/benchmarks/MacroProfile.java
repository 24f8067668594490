package io.rowseal.benchmarks;

import io.rowseal.benchmarks.macro.HibernateBenchmark;
import io.rowseal.benchmarks.macro.Macro;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Where the Hibernate path's added time goes (issue 19 item 2): the macro round (persist 10,000 rows, read them
 * back) of the plaintext and of the encrypted entity, each in a fork under Java Flight Recorder sampling
 * the benchmark thread every millisecond; every sample inside the measured round is charged to the layer of
 * its innermost frame that belongs to one (rowseal's engine, rowseal's Hibernate integration, Hibernate,
 * the JDBC driver or database, the pool; JDK frames go to their caller's layer). CPU µs per row by layer
 * for both entities, and their difference: what the encrypted row adds, layer by layer. Samples are taken
 * only while the thread runs Java code, so time spent waiting for PostgreSQL's answers is not in them.
 */
final class MacroProfile {
  private static final int WARMUPS = 6;
  private static final int MEASURED = 12;
  private static final String[][] LAYERS = {
      {"io.rowseal.envelope.", "engine"}, {"io.rowseal.crypto.", "engine"}, {"io.rowseal.keystore.", "engine"},
      {"io.rowseal.kms.", "engine"}, {"io.rowseal.hibernate.", "integration"}, {"org.hibernate.", "Hibernate"},
      {"org.h2.", "JDBC driver and database"}, {"org.postgresql.", "JDBC driver and database"},
      {"com.zaxxer.", "pool"}, {"io.rowseal.benchmarks.", "benchmark"}};

  private MacroProfile() {}

  /**
   * {@code java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.MacroProfile [--quick] [database…]}
   * (default: h2 and postgresql when it answers); writes {@code results/<date>-macro-profile.md}.
   */
  public static void main(String[] args) throws Exception {
    boolean quick = java.util.Arrays.asList(args).contains("--quick");
    List<String> databases = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    if (databases.isEmpty()) {
      databases = Main.reachable(io.rowseal.benchmarks.macro.Database.MACRO);
    }
    Path out = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
    String md = "# Hibernate path by layer, " + java.time.LocalDate.now() + "\n\nMachine: " + Main.machine()
        + ".\n\n" + run(quick, out.resolve("jfr"), Main.FORK_JVM_ARGS, databases);
    System.out.print(md);
    Files.writeString(out.resolve(Results.runName(out, "-macro-profile") + ".md"), md);
  }

  static String run(boolean quick, Path dir, String[] jvmArgs, List<String> databases) throws Exception {
    Files.createDirectories(dir);
    Path settings = dir.resolve("sample-1ms.jfc");
    Files.writeString(settings, Configuration.getConfiguration("profile").getContents().replaceAll(
        "(<event name=\"jdk.ExecutionSample\">\\s*<setting name=\"enabled\"[^<]*</setting>\\s*"
            + "<setting name=\"period\"[^>]*>)[^<]*(</setting>)", "$11 ms$2"));
    StringBuilder md = new StringBuilder("## Hibernate path: CPU µs per row by layer (JFR, 1 ms samples)\n\n"
        + "Each entity's round (persist 10,000, clear, read back) in a fork of its own, " + (quick ? 1 : WARMUPS)
        + " + " + (quick ? 2 : MEASURED) + " rounds, every sample of the benchmark thread inside the rounds"
        + " charged to the layer of its innermost frame that has one (JDK frames to their caller's). Samples"
        + " cover Java code only: waits for the database server are not in them.\n\n");
    for (String db : databases) {
      Map<String, Double> plain = profile(quick, dir, settings, jvmArgs, db, "plaintext");
      Map<String, Double> sealed = profile(quick, dir, settings, jvmArgs, db, "encrypted");
      md.append("**").append(db).append("**\n\n| layer | plaintext | encrypted | added |\n|---|---:|---:|---:|\n");
      java.util.Set<String> layers = new java.util.LinkedHashSet<>(sealed.keySet());
      layers.addAll(plain.keySet());
      double tp = 0;
      double ts = 0;
      for (String layer : layers) {
        double p = plain.getOrDefault(layer, 0.0);
        double s = sealed.getOrDefault(layer, 0.0);
        tp += p;
        ts += s;
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %+.2f |%n", layer, p, s, s - p));
      }
      md.append(String.format(Locale.ROOT, "| **total** | %.2f | %.2f | %+.2f |%n%n", tp, ts, ts - tp));
    }
    return md.toString();
  }

  private static Map<String, Double> profile(boolean quick, Path dir, Path settings, String[] jvmArgs, String db,
      String entity) throws Exception {
    Path jfr = dir.resolve("macro-" + db + "-" + entity + ".jfr");
    Files.deleteIfExists(jfr);
    // Without DebugNonSafepoints a sample is charged to the nearest safepoint's frame (often a loop head of
    // the method that inlined the work), which puts encodings and comparisons on the wrong line.
    String[] args = java.util.Arrays.copyOf(jvmArgs, jvmArgs.length + 3);
    args[jvmArgs.length + 1] = "-XX:+UnlockDiagnosticVMOptions";
    args[jvmArgs.length + 2] = "-XX:+DebugNonSafepoints";
    args[jvmArgs.length] = "-XX:StartFlightRecording:filename=" + jfr.toAbsolutePath() + ",settings="
        + settings.toAbsolutePath() + ",dumponexit=true";
    int rounds = quick ? 3 : WARMUPS + MEASURED;
    new Runner(new OptionsBuilder()
        .include("^" + HibernateBenchmark.class.getName().replace(".", "\\.") + "\\.persistAndReadBack$")
        .param("database", db).param("entity", entity)
        .forks(1).threads(1)
        .warmupIterations(quick ? 1 : WARMUPS).measurementIterations(quick ? 2 : MEASURED)
        .jvmArgsAppend(args)
        .build()).run();
    Map<String, Long> samples = new LinkedHashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.stream().noneMatch(f -> f.isJavaFrame() && f.getMethod().getName().equals("persistAndReadBack")
          && f.getMethod().getType().getName().equals(HibernateBenchmark.class.getName()))) {
        continue;
      }
      samples.merge(layer(frames), 1L, Long::sum);
    }
    Map<String, Double> micros = new LinkedHashMap<>();
    // one sample ≈ 1 ms of the thread's running time
    samples.forEach((layer, n) -> micros.put(layer, n * 1000.0 / ((double) rounds * Macro.ROWS)));
    return micros;
  }

  private static String layer(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (!f.isJavaFrame()) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      for (String[] l : LAYERS) {
        if (type.startsWith(l[0])) {
          return l[1];
        }
      }
    }
    return "JDK and other";
  }
}
