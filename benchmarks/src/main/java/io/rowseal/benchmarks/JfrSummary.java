package io.rowseal.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of one benchmark and writes what matters for the hot path as Markdown: CPU
 * samples of the JMH worker thread by leaf method, by method anywhere on the stack, and by the engine
 * line (first {@code io.rowseal} frame) they were spent under; allocation by class and by engine line;
 * lock contention.
 */
final class JfrSummary {
  private static final int TOP = 25;

  private JfrSummary() {}

  static String summarize(Path recording, String title) throws IOException {
    Map<String, Long> leaf = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> byEngineLine = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocByEngineLine = new HashMap<>();
    Map<String, Long> contention = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample" -> {
          if (!worker(e.getThread("sampledThread")) || e.getStackTrace() == null) {
            continue;
          }
          samples++;
          List<RecordedFrame> frames = e.getStackTrace().getFrames();
          add(leaf, method(frames.get(0)), 1);
          Set<String> seen = new HashSet<>();
          for (RecordedFrame f : frames) {
            String m = method(f);
            if (!harness(m) && seen.add(m)) {
              add(inclusive, m, 1);
            }
          }
          add(byEngineLine, engineLine(e.getStackTrace()) + "  ⟶  " + method(frames.get(0)), 1);
        }
        case "jdk.ObjectAllocationSample" -> {
          if (!worker(e.getThread("eventThread")) || e.getStackTrace() == null) {
            continue;
          }
          long w = e.getLong("weight");
          allocated += w;
          add(allocByClass, e.getClass("objectClass").getName(), w);
          add(allocByEngineLine, engineLine(e.getStackTrace()) + "  ⟶  " + e.getClass("objectClass").getName(), w);
        }
        case "jdk.JavaMonitorEnter", "jdk.ThreadPark" -> {
          if (worker(e.getThread("eventThread"))) {
            String what = type.equals("jdk.JavaMonitorEnter")
                ? "monitor " + e.getClass("monitorClass").getName()
                : "park " + (e.getClass("parkedClass") == null ? "?" : e.getClass("parkedClass").getName());
            add(contention, what, e.getDuration().toNanos());
          }
        }
        default -> { }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("### ").append(title).append("\n\n");
    md.append(String.format(Locale.ROOT, "%d CPU samples of the benchmark thread; %.1f MB allocation sampled"
        + " (JFR weights).%n%n", samples, allocated / 1e6));
    table(md, "CPU by leaf method (self)", leaf, samples, "%");
    table(md, "CPU by method anywhere on the stack (inclusive; harness frames omitted)", inclusive, samples, "%");
    table(md, "CPU by engine line (first io.rowseal frame ⟶ leaf)", byEngineLine, samples, "%");
    table(md, "Allocation by class", allocByClass, allocated, "%");
    table(md, "Allocation by engine line ⟶ class", allocByEngineLine, allocated, "%");
    if (contention.isEmpty()) {
      md.append("No monitor-enter or park events above JFR's thresholds on the benchmark thread.\n\n");
    } else {
      md.append("**Blocking on the benchmark thread (total ms)**\n\n| what | ms |\n|---|---:|\n");
      contention.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
          .forEach(en -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f |%n", en.getKey(), en.getValue() / 1e6)));
      md.append('\n');
    }
    return md.toString();
  }

  private static void table(StringBuilder md, String title, Map<String, Long> counts, long total, String unit) {
    md.append("**").append(title).append("**\n\n| ").append(unit).append(" | where |\n|---:|---|\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
        .forEach(en -> md.append(String.format(Locale.ROOT, "| %.1f | `%s` |%n",
            100.0 * en.getValue() / Math.max(1, total), en.getKey())));
    md.append('\n');
  }

  private static boolean worker(RecordedThread t) {
    return t != null && t.getJavaName() != null && t.getJavaName().contains("jmh-worker");
  }

  private static boolean harness(String method) {
    return method.startsWith("org.openjdk.jmh.") || method.contains("_jmhTest.")
        || method.startsWith("java.lang.Thread.") || method.startsWith("java.util.concurrent.")
        || method.startsWith("jdk.internal.reflect.") || method.startsWith("java.lang.reflect.");
  }

  /** The first io.rowseal frame outside the benchmark module, with its line, or the first of the module. */
  private static String engineLine(RecordedStackTrace stack) {
    Predicate<String> engine = c -> c.startsWith("io.rowseal.") && !c.startsWith("io.rowseal.benchmarks.");
    for (RecordedFrame f : stack.getFrames()) {
      if (f.isJavaFrame() && engine.test(f.getMethod().getType().getName())) {
        return method(f) + ":" + f.getLineNumber();
      }
    }
    for (RecordedFrame f : stack.getFrames()) {
      if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("io.rowseal.")) {
        return method(f) + ":" + f.getLineNumber();
      }
    }
    return "(outside rowseal)";
  }

  private static String method(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void add(Map<String, Long> m, String k, long v) {
    m.merge(k, v, Long::sum);
  }
}
