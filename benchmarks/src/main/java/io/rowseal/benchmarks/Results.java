package io.rowseal.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH scores keyed by short names ({@code FloorBenchmark.encryptRow},
 * {@code HibernateBenchmark.persistAndReadBack[h2,encrypted]}), in microseconds.
 *
 * <p>Figures are the <em>best</em> measurement iteration (the lowest time), not the mean: on a machine
 * shared with other builds, an iteration can only be slowed by others, never sped up, so the best one
 * is the closest to the code's own cost and the least affected by when in the run a benchmark happened
 * to be scheduled. Micro benchmarks also carry CPU time per operation ({@link WorkerCpuProfiler}) and
 * bytes allocated per operation; the JMH mean and its error are kept as well.
 */
public final class Results {
  /**
   * One benchmark's figures in µs: the best iteration, the mean and the 99.9% confidence half-width JMH
   * reports (NaN when too few samples), and the number of measurement iterations.
   */
  public record Score(double micros, double meanMicros, double errorMicros, int iterations, double cpuMicros,
      double allocBytes) {}

  private final Map<String, Score> scores = new LinkedHashMap<>();

  /**
   * A name for this run's files in {@code dir}: today's date followed by {@code suffix}, then
   * {@code -2}, {@code -3}, … when a file {@code <name>.md} is there already, so that a second run on the
   * same day never overwrites the first one's (committed) results.
   */
  public static String runName(Path dir, String suffix) {
    String base = LocalDate.now() + suffix;
    String name = base;
    for (int n = 2; Files.exists(dir.resolve(name + ".md")); n++) {
      name = base + "-" + n;
    }
    return name;
  }

  public void add(Iterable<RunResult> runs) {
    for (RunResult r : runs) {
      String benchmark = r.getParams().getBenchmark();
      String[] parts = benchmark.split("\\.");
      String key = parts[parts.length - 2] + "." + parts[parts.length - 1];
      if (!r.getParams().getParamsKeys().isEmpty()) {
        StringBuilder p = new StringBuilder("[");
        for (String k : r.getParams().getParamsKeys()) {
          p.append(p.length() > 1 ? "," : "").append(r.getParams().getParam(k));
        }
        key += p.append(']');
      }
      double factor = toMicros(r.getPrimaryResult().getScoreUnit());
      double best = Double.MAX_VALUE;
      double bestCpu = Double.NaN;
      double alloc = Double.NaN;
      int n = 0;
      for (BenchmarkResult b : r.getBenchmarkResults()) {
        for (IterationResult i : b.getIterationResults()) {
          best = Math.min(best, i.getPrimaryResult().getScore());
          Result<?> cpu = i.getSecondaryResults().get(WorkerCpuProfiler.NAME);
          if (cpu != null) {
            bestCpu = Double.isNaN(bestCpu) ? cpu.getScore() : Math.min(bestCpu, cpu.getScore());
          }
          n++;
        }
      }
      Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
      if (norm != null) {
        alloc = norm.getScore();
      }
      scores.put(key, new Score(best * factor, r.getPrimaryResult().getScore() * factor,
          r.getPrimaryResult().getScoreError() * factor, n, bestCpu, alloc));
    }
  }

  public Optional<Score> get(String key) {
    return Optional.ofNullable(scores.get(key));
  }

  /** The best iteration's wall time in microseconds, or NaN when the benchmark did not run. */
  public double micros(String key) {
    Score s = scores.get(key);
    return s == null ? Double.NaN : s.micros();
  }

  /** The best iteration's CPU time per operation in µs ({@link WorkerCpuProfiler}), else NaN. */
  public double cpuMicros(String key) {
    Score s = scores.get(key);
    return s == null ? Double.NaN : s.cpuMicros();
  }

  /** Bytes allocated per operation (JMH's gc profiler), else NaN. */
  public double allocBytes(String key) {
    Score s = scores.get(key);
    return s == null ? Double.NaN : s.allocBytes();
  }

  public Map<String, Score> all() {
    return scores;
  }

  private static double toMicros(String unit) {
    return switch (unit) {
      case "ns/op" -> 1e-3;
      case "us/op" -> 1;
      case "ms/op" -> 1e3;
      case "s/op" -> 1e6;
      default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
    };
  }
}
