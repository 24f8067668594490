package io.rowseal.benchmarks;

import io.rowseal.benchmarks.micro.FloorBenchmark;
import io.rowseal.benchmarks.parts.EnginePartsBenchmark;
import io.rowseal.benchmarks.micro.RowsealBenchmark;
import io.rowseal.benchmarks.micro.RowsealColdBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Profiles the engine's hot path: each engine benchmark (and the floor, for comparison) runs in a fork
 * with Java Flight Recorder on ({@code settings=profile}: CPU samples every 10 ms, allocation samples,
 * lock events), then {@link JfrSummary} condenses each recording.
 */
final class Profile {
  private static final String[][] BENCHMARKS = {
      {RowsealBenchmark.class.getName() + ".encryptRow", "rowseal encrypt-row"},
      {RowsealBenchmark.class.getName() + ".decryptRowWarm", "rowseal decrypt-row, warm DEK cache"},
      {RowsealColdBenchmark.class.getName() + ".decryptRowCold", "rowseal decrypt-row, cold DEK cache"},
      {FloorBenchmark.class.getName() + ".encryptRow", "floor encrypt-row (for comparison)"},
      {FloorBenchmark.class.getName() + ".decryptRow", "floor decrypt-row (for comparison)"}};

  private Profile() {}

  static String run(boolean quick, Path dir, String[] jvmArgs, String date) throws Exception {
    Files.createDirectories(dir);
    StringBuilder md = new StringBuilder("# JFR profile of the engine's hot path, " + date + "\n\n"
        + "Recorded with `-XX:StartFlightRecording:settings=profile` during the whole fork (warm-up included);"
        + " only the JMH worker thread is counted. Percentages are of that thread's CPU samples or sampled"
        + " allocation bytes.\n\n");
    for (String[] b : BENCHMARKS) {
      Path jfr = dir.resolve(b[0].substring(b[0].lastIndexOf('.', b[0].lastIndexOf('.') - 1) + 1) + ".jfr");
      Files.deleteIfExists(jfr);
      String[] args = Arrays.copyOf(jvmArgs, jvmArgs.length + 1);
      args[jvmArgs.length] = "-XX:StartFlightRecording:filename=" + jfr.toAbsolutePath()
          + ",settings=profile,dumponexit=true";
      new Runner(new OptionsBuilder()
          .include("^" + b[0].replace(".", "\\.") + "$")
          .forks(1).threads(1)
          .warmupIterations(quick ? 1 : 6).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 2 : 8).measurementTime(TimeValue.seconds(1))
          .jvmArgsAppend(args)
          .build()).run();
      md.append(JfrSummary.summarize(jfr, b[1]));
    }
    md.append("### What the parts cost on this JVM (EnginePartsBenchmark, best iteration, ns)\n\n"
        + "| part | CPU ns | wall ns |\n|---|---:|---:|\n");
    Results parts = new Results();
    parts.add(new Runner(new OptionsBuilder()
        .include(EnginePartsBenchmark.class.getName() + "\\..*")
        .forks(1).threads(1)
        .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 300 : 700))
        .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.milliseconds(quick ? 300 : 500))
        .jvmArgsAppend(jvmArgs)
        .addProfiler(WorkerCpuProfiler.class)
        .build()).run());
    parts.all().forEach((k, v) -> md.append(String.format(java.util.Locale.ROOT, "| `%s` | %.0f | %.0f |%n",
        k.substring(k.indexOf('.') + 1), v.cpuMicros() * 1000, v.micros() * 1000)));
    return md.toString();
  }
}
