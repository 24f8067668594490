package io.rowseal.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH scores keyed by short names ({@code FloorBenchmark.encryptRow},
 * {@code HibernateBenchmark.persistAndReadBack[h2,encrypted]}), in microseconds.
 */
public final class Results {
  /** One score: mean and the 99.9% confidence half-width JMH reports (NaN when too few samples). */
  public record Score(double micros, double errorMicros) {}

  private final Map<String, Score> scores = new LinkedHashMap<>();

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
      scores.put(key, new Score(r.getPrimaryResult().getScore() * factor,
          r.getPrimaryResult().getScoreError() * factor));
    }
  }

  public Optional<Score> get(String key) {
    return Optional.ofNullable(scores.get(key));
  }

  /** The mean in microseconds, or NaN when the benchmark did not run. */
  public double micros(String key) {
    Score s = scores.get(key);
    return s == null ? Double.NaN : s.micros();
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
