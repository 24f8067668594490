package io.rowseal.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time the benchmark threads spent per operation, in µs: time a thread waits for a core that other
 * processes hold is not in it, so on a shared machine it is a far steadier figure than wall time. It
 * leaves out what other threads do for the benchmark (GC, JIT), which is why the report also lists
 * allocation per operation and wall time. Reported as the secondary result {@value #NAME}.
 */
public final class WorkerCpuProfiler implements InternalProfiler {
  public static final String NAME = "cpu.time.per.op";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<Long, Long> before = Map.of();

  @Override
  public String getDescription() {
    return "CPU time of the JMH worker threads per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    before = snapshot();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
      IterationResult result) {
    Map<Long, Long> after = snapshot();
    long cpu = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      cpu += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
    if (ops == 0) {
      return List.of();
    }
    return List.of(new ScalarResult(NAME, cpu / 1e3 / ops, "us/op", AggregationPolicy.MIN));
  }

  private Map<Long, Long> snapshot() {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().contains("jmh-worker")) {
        long ns = threads.getThreadCpuTime(t.getThreadId());
        if (ns >= 0) {
          cpu.put(t.getThreadId(), ns);
        }
      }
    }
    return cpu;
  }
}
