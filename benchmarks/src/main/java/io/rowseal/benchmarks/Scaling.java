package io.rowseal.benchmarks;

import io.rowseal.benchmarks.contenders.FloorAesGcm;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 19 item 5: do two threads get through twice the rows of one? Each operation runs in phases of
 * {@value #PHASE_MS} ms, alternately on one thread and on two, round after round, against <em>one</em>
 * shared engine (one envelope, one DEK cache, one branch-key cache, as in an application), each thread
 * on rows of its own. The figure is rows per second of the two-thread phase over the one-thread phase
 * next to it, best rounds and the median of the rounds' own ratios. The floor (raw AES-GCM, a cipher per
 * thread, nothing shared) runs the same phases: it is what the machine itself scales by, so rowseal's
 * ratio is read against it (two vCPUs that are one core's hyperthreads share its AES unit).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.Scaling} (about two minutes);
 * writes {@code results/<date>-scaling.md}.
 */
public final class Scaling {
  private static final int PHASE_MS = 150;
  private static final int ROWS = 1 << 14;

  private interface Op {
    void run(int thread, int i) throws Exception;
  }

  record Figure(double best1, double best2, double bestRatio, double medianRatio) {}

  private Scaling() {}

  public static void main(String[] args) throws Exception {
    Main.relaunchPreTouched(Scaling.class, args);
    boolean quick = Arrays.asList(args).contains("--quick");
    long started = System.nanoTime();
    Map<String, Figure> figures = measure(quick ? 6 : 40);
    StringBuilder md = new StringBuilder("# Scaling from 1 to 2 threads, " + LocalDate.now() + "\n\n"
        + "Machine: " + Main.machine() + ". Rows per second (three values per row),"
        + " phases of " + PHASE_MS + " ms alternating one and two threads on one shared engine; "
        + (quick ? 6 : 40) + " rounds. Took " + (System.nanoTime() - started) / 1_000_000_000 + " s.\n\n"
        + "| operation | 1 thread, best rows/s | 2 threads, best rows/s | 2 ÷ 1, best | 2 ÷ 1, median round |"
        + " rowseal ÷ floor scaling |\n|---|---:|---:|---:|---:|---:|\n");
    Figure floorEnc = figures.get("floor encrypt-row");
    Figure floorDec = figures.get("floor decrypt-row");
    figures.forEach((k, f) -> {
      Figure floor = k.contains("encrypt") ? floorEnc : floorDec;
      md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f× | %.2f× | %s |%n", k, f.best1(), f.best2(),
          f.bestRatio(), f.medianRatio(), k.startsWith("floor") ? "" : String.format(Locale.ROOT, "%.2f",
              f.medianRatio() / floor.medianRatio())));
    });
    System.out.print(md);
    Path out = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
    Files.createDirectories(out);
    Files.writeString(out.resolve(Results.runName(out, "-scaling") + ".md"), md);
  }

  static Map<String, Figure> measure(int rounds) throws Exception {
    Row[][] rows = {Row.random(ROWS, 1), Row.random(ROWS, 2)};
    FloorAesGcm[] floors = {new FloorAesGcm(), new FloorAesGcm()};
    byte[][][][] floorStored = new byte[2][ROWS][][];
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < ROWS; i++) {
        floorStored[t][i] = floors[t].encrypt(rows[t][i]);
      }
    }
    RowsealEngine warm = new RowsealEngine(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), 4L * ROWS);
    RowsealEngine cold = new RowsealEngine(new InMemoryCmkProvider(), new InMemoryBranchKeyStore(), ROWS / 32);
    byte[][][][] warmStored = new byte[2][ROWS][][];
    byte[][][][] coldStored = new byte[2][ROWS][][];
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < ROWS; i++) {
        warmStored[t][i] = warm.encrypt(rows[t][i]);
        warm.decrypt(warmStored[t][i]);
        coldStored[t][i] = cold.encrypt(rows[t][i]);
      }
    }
    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put("floor encrypt-row", (t, i) -> floors[t].encrypt(rows[t][i]));
    ops.put("floor decrypt-row", (t, i) -> floors[t].decrypt(floorStored[t][i]));
    ops.put("rowseal encrypt-row", (t, i) -> warm.encrypt(rows[t][i]));
    ops.put("rowseal decrypt-row, warm DEK cache", (t, i) -> warm.decrypt(warmStored[t][i]));
    ops.put("rowseal decrypt-row, cold DEK cache", (t, i) -> cold.decrypt(coldStored[t][i]));

    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    ops.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
    try (Runner runner = new Runner()) {
      for (int round = -Math.max(2, rounds / 5); round < rounds; round++) {
        for (Map.Entry<String, Op> e : ops.entrySet()) {
          // alternate which goes first, so that neither always follows another operation
          boolean twoFirst = (round & 1) == 1;
          double first = runner.phase(e.getValue(), twoFirst ? 2 : 1);
          double second = runner.phase(e.getValue(), twoFirst ? 1 : 2);
          if (round >= 0) {
            samples.get(e.getKey()).add(twoFirst ? new double[] {second, first} : new double[] {first, second});
          }
        }
      }
    } finally {
      warm.close();
      cold.close();
    }
    Map<String, Figure> out = new LinkedHashMap<>();
    samples.forEach((k, s) -> {
      double best1 = s.stream().mapToDouble(x -> x[0]).max().orElse(Double.NaN);
      double best2 = s.stream().mapToDouble(x -> x[1]).max().orElse(Double.NaN);
      double[] ratios = s.stream().mapToDouble(x -> x[1] / x[0]).sorted().toArray();
      out.put(k, new Figure(best1, best2, best2 / best1, ratios[ratios.length / 2]));
    });
    return out;
  }

  /** Two worker threads that run one phase at a time, started together by a barrier. */
  private static final class Runner implements AutoCloseable {
    private final Thread[] threads = new Thread[2];
    private final CyclicBarrier start = new CyclicBarrier(3);
    private final CyclicBarrier end = new CyclicBarrier(3);
    private final AtomicBoolean running = new AtomicBoolean();
    private final LongAdder done = new LongAdder();
    private volatile Op op;
    private volatile int active;
    private volatile boolean closed;
    private volatile Exception failure;

    Runner() {
      for (int t = 0; t < 2; t++) {
        int id = t;
        threads[t] = new Thread(() -> work(id), "scaling-" + t);
        threads[t].setDaemon(true);
        threads[t].start();
      }
    }

    private void work(int id) {
      int i = id * 7919;
      try {
        while (true) {
          start.await();
          if (closed) {
            return;
          }
          if (id < active) {
            long n = 0;
            Op current = op;
            while (running.get()) {
              current.run(id, i++ & (ROWS - 1));
              n++;
            }
            done.add(n);
          }
          end.await();
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    /** Rows per second of {@code threads} threads running {@code op} together for one phase. */
    double phase(Op op, int threads) throws Exception {
      this.op = op;
      this.active = threads;
      done.reset();
      running.set(true);
      start.await();
      long t0 = System.nanoTime();
      Thread.sleep(PHASE_MS);
      running.set(false);
      end.await();
      long took = System.nanoTime() - t0;
      if (failure != null) {
        throw failure;
      }
      return done.sum() / (took / 1e9);
    }

    @Override
    public void close() throws Exception {
      closed = true;
      start.await();
    }
  }
}
