package io.rowseal.benchmarks;

import io.rowseal.benchmarks.micro.DbEsdkNoEcdsaBenchmark;
import io.rowseal.benchmarks.micro.FloorBenchmark;
import io.rowseal.benchmarks.micro.RowsealBenchmark;
import io.rowseal.benchmarks.micro.RowsealColdBenchmark;
import io.rowseal.benchmarks.micro.TinkBenchmark;
import io.rowseal.benchmarks.parts.EnginePartsBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target ratios, measured A/B-interleaved: the same benchmark states the JMH benchmarks use, run in
 * one JVM in rounds of about 5 ms per operation (floor, rowseal, Tink, DB-ESDK, …, again and again),
 * each batch timed by the thread's CPU clock and by the wall clock. A burst of load from another process
 * then hits every contender alike, instead of whichever JMH fork happened to run during it; the best
 * round per contender is its figure, the median round is shown beside it.
 */
public final class Interleaved {
  /** One operation's figures, in µs per row. */
  record Figure(double bestCpu, double medianCpu, double bestWall, double medianWall) {}

  private interface Op {
    Object run() throws Exception;
  }

  private static final long BATCH_NANOS = 5_000_000;
  /** The floor's decrypt-row with a key and a cached cipher per row, 16,384 rows: the warm read's bound. */
  static final String PER_ROW_CIPHER_FLOOR = "parts.floorDecryptRowPerRowCipher";
  /** The same with the per-row state in table slots unrelated to the read order, as a cache holds it. */
  static final String PER_ROW_CIPHER_SCATTERED = "parts.floorDecryptRowPerRowCipherScattered";
  /** The same rows' raw keys in one array and one cipher re-keyed per row (one AES key schedule per row). */
  static final String PER_ROW_REKEYED = "parts.floorDecryptRowRekeyedPerRow";
  /** The floor's encrypt-row after one 16-byte read of /dev/urandom: the entropy's cost in place. */
  static final String FLOOR_WITH_ENTROPY = "parts.floorEncryptRowWithEntropy";
  /** The design's row write straight, no rowseal code but the KBKDF ({@code DesignRow}). */
  static final String DESIGN_ROW_WRITE = "parts.designEncryptRow";
  /** The design's read of a row whose key is not cached, straight ({@code DesignRow}). */
  static final String DESIGN_COLD_READ = "parts.designDecryptRowCold";

  private Interleaved() {}

  /**
   * Prints the interleaved table for this JVM, engine parts included, and writes it to
   * {@code results/<date>-interleaved-jdk<feature>.md}: a one-minute way to compare JVMs.
   */
  public static void main(String[] args) throws Exception {
    Main.relaunchPreTouched(Interleaved.class, args);
    Map<String, Figure> figures = measure(false, true);
    String jdk = Integer.toString(Runtime.version().feature());
    StringBuilder md = new StringBuilder("# Interleaved measurement on " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + ", " + java.time.LocalDate.now() + "\n\n"
        + "µs per row (engine parts: per operation); best and median of 300 rounds.\n\n"
        + "| operation | best CPU | median CPU | best wall | median wall |\n|---|---:|---:|---:|---:|\n");
    figures.forEach((k, f) -> md.append(String.format(java.util.Locale.ROOT, "| `%s` | %.3f | %.3f | %.3f | %.3f |%n",
        k, f.bestCpu(), f.medianCpu(), f.bestWall(), f.medianWall())));
    md.append(DesignBound.of(figures).markdown(figures));
    System.out.print(md);
    java.nio.file.Path out = java.nio.file.Files.isDirectory(java.nio.file.Path.of("benchmarks"))
        ? java.nio.file.Path.of("benchmarks", "results") : java.nio.file.Path.of("results");
    java.nio.file.Files.createDirectories(out);
    java.nio.file.Files.writeString(out.resolve(Results.runName(out, "-interleaved-jdk" + jdk) + ".md"), md);
  }

  static Map<String, Figure> measure(boolean quick) throws Exception {
    return measure(quick, false);
  }

  static Map<String, Figure> measure(boolean quick, boolean parts) throws Exception {
    FloorBenchmark floor = new FloorBenchmark();
    floor.setUp();
    RowsealBenchmark rowseal = new RowsealBenchmark();
    rowseal.setUp();
    RowsealColdBenchmark cold = new RowsealColdBenchmark();
    cold.setUp();
    RowsealBenchmark hot = RowsealBenchmark.hotSet(256);
    hot.setUp();
    TinkBenchmark tink = new TinkBenchmark();
    tink.setUp();
    DbEsdkNoEcdsaBenchmark esdk = new DbEsdkNoEcdsaBenchmark();
    esdk.setUp();
    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put(Report.FLOOR_ENC, floor::encryptRow);
    ops.put(Report.FLOOR_DEC, floor::decryptRow);
    ops.put(Report.RS_ENC, rowseal::encryptRow);
    ops.put(Report.RS_WARM, rowseal::decryptRowWarm);
    ops.put(Report.RS_COLD, cold::decryptRowCold);
    ops.put("RowsealBenchmark.decryptRowWarm, 256-row hot set (not a target)", hot::decryptRowWarm);
    ops.put("TinkBenchmark.encryptRow", tink::encryptRow);
    ops.put("TinkBenchmark.decryptRow", tink::decryptRow);
    ops.put("DbEsdkNoEcdsaBenchmark.encryptRow", esdk::encryptRow);
    ops.put("DbEsdkNoEcdsaBenchmark.decryptRow", esdk::decryptRow);
    if (parts) {
      EnginePartsBenchmark p = new EnginePartsBenchmark();
      p.setUp();
      ops.put("parts.gcm32SameKeyShortAad", p::gcm32SameKeyShortAad);
      ops.put("parts.gcm32SameKeyHeaderAad", p::gcm32SameKeyHeaderAad);
      ops.put("parts.gcm32NewKeyShortAad", p::gcm32NewKeyShortAad);
      ops.put("parts.engineDrbg12", p::engineDrbg12);
      ops.put("parts.engineDrbg48", p::engineDrbg48);
      ops.put("parts.jdkDefaultSecureRandom12", p::jdkDefaultSecureRandom12);
      ops.put("parts.engineKeyBytes16", p::engineKeyBytes16);
      ops.put("parts.urandomRead16", p::urandomRead16);
      ops.put("parts.kbkdfDerive", p::kbkdfDerive);
      ops.put("parts.kbkdfDeriveFromCached", p::kbkdfDeriveFromCached);
      ops.put("parts.footerMac", p::footerMac);
      io.rowseal.benchmarks.parts.DesignRow design = new io.rowseal.benchmarks.parts.DesignRow();
      design.setUp();
      ops.put(FLOOR_WITH_ENTROPY, design::floorEncryptRowWithEntropy);
      ops.put(DESIGN_ROW_WRITE, design::encryptRow);
      ops.put(DESIGN_COLD_READ, design::decryptRowCold);
      io.rowseal.benchmarks.parts.PerRowCipherFloor perRow = new io.rowseal.benchmarks.parts.PerRowCipherFloor();
      perRow.setUp();
      ops.put(PER_ROW_CIPHER_FLOOR, perRow::decryptRow);
      io.rowseal.benchmarks.parts.PerRowCipherFloor scattered = io.rowseal.benchmarks.parts.PerRowCipherFloor.scattered();
      scattered.setUp();
      ops.put(PER_ROW_CIPHER_SCATTERED, scattered::decryptRow);
      io.rowseal.benchmarks.parts.PerRowCipherFloor rekeyed = io.rowseal.benchmarks.parts.PerRowCipherFloor.rekeyed();
      rekeyed.setUp();
      ops.put(PER_ROW_REKEYED, rekeyed::decryptRow);
      ops.put("parts.parseBranchKeyRef", p::parseBranchKeyRef);
      ops.put("parts.attributeNameToUtf8", p::attributeNameToUtf8);
    }

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Integer> batch = new LinkedHashMap<>();
    // Warm-up (JIT) and calibration: each operation runs for about a second in total.
    for (int round = 0; round < (quick ? 40 : 200); round++) {
      for (Map.Entry<String, Op> e : ops.entrySet()) {
        int n = batch.getOrDefault(e.getKey(), 1);
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          e.getValue().run();
        }
        long took = Math.max(1, System.nanoTime() - t);
        batch.put(e.getKey(), (int) Math.max(1, Math.min(100_000, n * BATCH_NANOS / took)));
      }
    }
    int rounds = quick ? 40 : 300;
    Map<String, double[][]> samples = new LinkedHashMap<>();
    ops.keySet().forEach(k -> samples.put(k, new double[2][rounds]));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Op> e : ops.entrySet()) {
        int n = batch.get(e.getKey());
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < n; i++) {
          e.getValue().run();
        }
        samples.get(e.getKey())[0][round] = (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
        samples.get(e.getKey())[1][round] = (System.nanoTime() - wall) / 1e3 / n;
      }
    }
    rowseal.tearDown();
    cold.tearDown();
    hot.tearDown();
    Map<String, Figure> out = new LinkedHashMap<>();
    samples.forEach((k, s) -> {
      Arrays.sort(s[0]);
      Arrays.sort(s[1]);
      out.put(k, new Figure(s[0][0], s[0][rounds / 2], s[1][0], s[1][rounds / 2]));
    });
    return out;
  }
}
