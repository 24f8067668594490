package io.rowseal.benchmarks.app;

import io.rowseal.benchmarks.Main;
import io.rowseal.benchmarks.Results;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * rowseal's cost to a whole HTTP application (benchmarks/README.md, "Whole application"): the shop of
 * benchmarks/app, a Spring Boot 4.1 web application with JPA on PostgreSQL, in three variants that run the
 * same code path: without rowseal, in library mode ({@code @Encrypted} fields, rowseal-hibernate's Spring
 * Boot auto-configuration) and in agent mode ({@code -javaagent}, the same fields named in its file); both
 * rowseal variants on the KMS a user gets by default, {@code rowseal.kms=local} (the embedded LocalKms, its
 * passphrase in an environment variable named by {@code rowseal.kms.local.passphrase-env}).
 *
 * <ol>
 *   <li>Throughput and latency: each variant's JVM started once, seeded through HTTP, its stored personal
 *       columns checked by JDBC (ciphertext in B and C, plaintext in A; anything else stops the run), warmed by
 *       unmeasured rounds, then measured rounds of A, B, C, A, B, C, … of {@link LoadGenerator}: a short
 *       warm-up, then a measured window, the columns checked again. {@code --fresh}: a new JVM per round
 *       instead, whose measured window then still pays for its JIT compilation.</li>
 *   <li>Time to first request: JVM launch to the first answered sign-up, for each variant and, in library
 *       mode, for each KMS backend (local, in-memory, aws against {@link KmsEndpoint}, pkcs11 on a
 *       {@link SoftHsmToken}); one unmeasured launch of each first (it creates the keys and checks the stored
 *       columns), then interleaved launches.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -P bench-app -pl agent,benchmarks/app/plain,benchmarks/app/sealed,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.app.AppLoad [--rounds 4] [--warm-rounds 6]
 *     [--warmup 5] [--measure 20] [--clients 8] [--customers 2000] [--launches 8] [--fresh] [--no-throughput]
 *     [--no-startup] [--before-jar JAR] [--out DIR] [--work DIR] [--schemas PREFIX]
 * </pre>
 *
 * <p>{@code --before-jar} (with the time to first request) launches every library-mode kind that runs
 * {@code app-sealed.jar} (all but aws, which runs {@code app-sealed-aws.jar}) once more on another build of it, as
 * "…, before", in the same rounds: a before/after that the machine's other load hits alike.
 *
 * It writes {@code results/<date>-app.md} (then {@code -app-2}, …: nothing is overwritten).
 */
public final class AppLoad {
  private static final double TARGET_THROUGHPUT = 0.9;
  private static final double TARGET_STARTUP_MS = 300;

  private AppLoad() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    int rounds = option(a, "--rounds", 4);
    int warmup = option(a, "--warmup", 5);
    int measure = option(a, "--measure", 20);
    int clients = option(a, "--clients", 8);
    int customers = option(a, "--customers", 2000);
    int launches = option(a, "--launches", 8);
    Path root = Files.isDirectory(Path.of("benchmarks", "app")) ? Path.of("") : Path.of("..");
    int o = a.indexOf("--out");
    Path out = o >= 0 ? Path.of(a.get(o + 1)) : root.resolve("benchmarks/results");
    Files.createDirectories(out);
    int w = a.indexOf("--work");
    Path work = (w >= 0 ? Path.of(a.get(w + 1)) : root.resolve("benchmarks/target/app-work")).toAbsolutePath();
    int sp = a.indexOf("--schemas");
    String prefix = sp >= 0 ? a.get(sp + 1) : "app";
    deleteTree(work);
    Files.createDirectories(work);
    if (!Shop.databaseReachable()) {
      throw new IllegalStateException("PostgreSQL does not answer at " + Shop.JDBC_URL);
    }
    ShopLaunch.Factory variants = new ShopLaunch.Factory(
        jar(root.resolve("benchmarks/app/plain/target"), "app-plain.jar"),
        jar(root.resolve("benchmarks/app/sealed/target"), "app-sealed.jar"),
        jar(root.resolve("agent/target"), "rowseal-agent-"), work, prefix);
    // a fresh start: the keystores in the working directory are new, so the state they would open goes too
    int b = a.indexOf("--before-jar");
    Path beforeJar = b >= 0 ? Path.of(a.get(b + 1)).toAbsolutePath() : null;
    for (String schema : variants.schemas()) {
      Shop.dropSchema(schema);
      Shop.dropSchema(schema + "_b");
    }
    String machine = Main.machine();
    long start = System.nanoTime();
    List<ShopLaunch> three = List.of(variants.plain(), variants.library(), variants.agent());

    StringBuilder md = new StringBuilder();
    String name = Results.runName(out, "-app");
    md.append("# rowseal in a whole application, ").append(name).append("\n\n- Machine: ").append(machine)
        .append("\n- Command: `java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.app.AppLoad ")
        .append(String.join(" ", args)).append("`\n- Shop: Spring Boot 4.1.2 (web MVC, Tomcat), Spring Data JPA,"
            + " Hibernate as Boot manages it, HikariCP's defaults, PostgreSQL at " + Shop.JDBC_URL
            + " (a schema per variant); every JVM with the JDK's defaults, no -Xmx\n- rowseal variants: KMS"
            + " `rowseal.kms=local` (the embedded LocalKms), its passphrase in the environment variable named by"
            + " `rowseal.kms.local.passphrase-env`, every other rowseal setting at its default\n");
    if (!a.contains("--no-throughput")) {
      md.append(a.contains("--fresh")
          ? throughput(three, rounds, clients, customers, Duration.ofSeconds(warmup), Duration.ofSeconds(measure), work)
          : warmThroughput(three, rounds, clients, customers, Duration.ofSeconds(warmup), Duration.ofSeconds(measure),
              option(a, "--warm-rounds", 6), work));
    }
    if (!a.contains("--no-startup")) {
      md.append(startup(variants, three, launches, work, beforeJar));
    }
    md.append(String.format(Locale.ROOT, "%n- Wall time: %d s; load average at the end %.2f%n",
        Duration.ofNanos(System.nanoTime() - start).toSeconds(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    Files.writeString(out.resolve(name + ".md"), md, StandardCharsets.UTF_8);
    System.out.print(md);
  }

  /**
   * The three variants' JVMs started once and kept: seeded, checked, then {@code warmRounds} unmeasured rounds
   * of load in turn (the JIT compilers are still busy after a minute on 2 shared cores), then the measured
   * rounds, each a short warm-up and the window.
   */
  private static String warmThroughput(List<ShopLaunch> three, int rounds, int clients, int customers,
      Duration warmup, Duration measure, int warmRounds, Path work) throws IOException, InterruptedException {
    Map<ShopLaunch, List<LoadGenerator.Window>> windows = new LinkedHashMap<>();
    Map<ShopLaunch, String> stored = new LinkedHashMap<>();
    Map<ShopLaunch, Shop> shops = new LinkedHashMap<>();
    Map<ShopLaunch, long[]> ids = new LinkedHashMap<>();
    try {
      for (ShopLaunch v : three) {
        Shop shop = Shop.start(v, work.resolve("throughput-" + v.schema() + ".log"));
        shops.put(v, shop);
        ids.put(v, shop.seed(customers));
        stored.put(v, shop.checkStoredColumns());
      }
      for (int r = 1 - warmRounds; r <= rounds; r++) {
        for (ShopLaunch v : three) {
          LoadGenerator.Window w = LoadGenerator.run(shops.get(v), ids.get(v), clients, warmup, measure);
          if (r > 0) {
            stored.put(v, shops.get(v).checkStoredColumns());
            windows.computeIfAbsent(v, k -> new ArrayList<>()).add(w);
          }
          System.out.printf(Locale.ROOT, "%s %d %-16s %8.1f req/s  p50 %6.2f  p99 %7.2f  p99.9 %7.2f ms"
              + "  shop CPU %6.0f µs/request%n", r > 0 ? "round" : "warm-up", r > 0 ? r : r + warmRounds, v.label(),
              w.throughput(), w.millis(0.5), w.millis(0.99), w.millis(0.999), w.shopCpuMicrosPerRequest());
        }
      }
    } finally {
      for (Shop shop : shops.values()) {
        shop.close();
      }
    }
    return report(three, windows, stored, String.format(Locale.ROOT, "%n## Throughput and latency%n%n"
        + "The three variants' JVMs started once and kept (warmed servers): each seeded with %,d customers of 3 orders"
        + " through HTTP and its stored columns checked; then %d unmeasured rounds and %d measured rounds of the three in"
        + " turn (A, B, C, A, B, C, …), each a %d s warm-up and a %d s window of load on one variant while the other"
        + " two idle; the stored columns checked again after every measured window. ",
        customers, warmRounds, rounds, warmup.toSeconds(), measure.toSeconds()), rounds, clients, warmup, measure);
  }

  private static String throughput(List<ShopLaunch> three, int rounds, int clients, int customers,
      Duration warmup, Duration measure, Path work) throws IOException, InterruptedException {
    Map<ShopLaunch, List<LoadGenerator.Window>> windows = new LinkedHashMap<>();
    Map<ShopLaunch, String> stored = new LinkedHashMap<>();
    for (int r = 1; r <= rounds; r++) {
      for (ShopLaunch v : three) {
        try (Shop shop = Shop.start(v, work.resolve("throughput-" + v.schema() + "-" + r + ".log"))) {
          long[] ids = shop.seed(customers);
          stored.put(v, shop.checkStoredColumns());
          LoadGenerator.Window w = LoadGenerator.run(shop, ids, clients, warmup, measure);
          windows.computeIfAbsent(v, k -> new ArrayList<>()).add(w);
          System.out.printf(Locale.ROOT, "round %d %-16s %8.1f req/s  p50 %6.2f  p99 %7.2f  p99.9 %7.2f ms"
              + "  shop CPU %6.0f µs/request%n", r, v.label(), w.throughput(), w.millis(0.5), w.millis(0.99),
              w.millis(0.999), w.shopCpuMicrosPerRequest());
        }
      }
    }
    return report(three, windows, stored, String.format(Locale.ROOT, "%n## Throughput and latency%n%n"
        + "%d rounds of the three variants in turn (A, B, C, A, B, C, …), each a fresh JVM (fresh servers): new tables,"
        + " %,d customers of 3 orders seeded through HTTP, the stored columns checked, then a %d s warm-up and a %d s"
        + " window. ", rounds, customers, warmup.toSeconds(), measure.toSeconds()), rounds, clients, warmup, measure);
  }

  private static String report(List<ShopLaunch> three, Map<ShopLaunch, List<LoadGenerator.Window>> windows,
      Map<ShopLaunch, String> stored, String intro, int rounds, int clients, Duration warmup, Duration measure) {
    ShopLaunch base = three.get(0);
    StringBuilder s = new StringBuilder(intro).append(String.format(Locale.ROOT, "%d closed-loop clients (the JDK's"
        + " HttpClient, HTTP/1.1), %.0f%% `GET /customers/{id}` (customer with its 4 personal fields and 3 orders)"
        + " and %.0f%% `POST /customers` (a customer and its first order). Latency: send to body read, every request"
        + " of the window, quantiles from the sorted array.%n%n", clients, LoadGenerator.READS * 100,
        (1 - LoadGenerator.READS) * 100));
    s.append("| variant | req/s best round | req/s median | × without, best over best | × without, median of the"
        + " rounds' ratios | p50 / p99 / p99.9 ms, best round | p50 / p99 / p99.9 ms, median over rounds |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    Map<ShopLaunch, double[]> ratios = new LinkedHashMap<>();
    for (ShopLaunch v : three) {
      List<LoadGenerator.Window> ws = windows.get(v);
      LoadGenerator.Window best = ws.stream().max((x, y) -> Double.compare(x.throughput(), y.throughput()))
          .orElseThrow();
      double bestBase = windows.get(base).stream().mapToDouble(LoadGenerator.Window::throughput).max().orElseThrow();
      double[] perRound = new double[ws.size()];
      for (int i = 0; i < ws.size(); i++) {
        perRound[i] = ws.get(i).throughput() / windows.get(base).get(i).throughput();
      }
      ratios.put(v, new double[] {best.throughput() / bestBase, median(perRound)});
      s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f× | %.3f× | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f |%n",
          v.label(), best.throughput(), median(ws.stream().mapToDouble(LoadGenerator.Window::throughput).toArray()),
          best.throughput() / bestBase, median(perRound), best.millis(0.5), best.millis(0.99), best.millis(0.999),
          median(ws.stream().mapToDouble(w -> w.millis(0.5)).toArray()),
          median(ws.stream().mapToDouble(w -> w.millis(0.99)).toArray()),
          median(ws.stream().mapToDouble(w -> w.millis(0.999)).toArray())));
    }
    s.append("\nThe shop JVM's CPU time per request (all its threads, read from the operating system over the measured"
        + " window; unlike throughput it does not count waiting for a core held by another process, but it leaves out"
        + " PostgreSQL's and the load generator's work):\n\n| variant | µs per request, best round | median |"
        + " × without, best over best | median |\n|---|---:|---:|---:|---:|\n");
    double[] baseCpu = windows.get(base).stream().mapToDouble(LoadGenerator.Window::shopCpuMicrosPerRequest).toArray();
    for (ShopLaunch v : three) {
      double[] cpu = windows.get(v).stream().mapToDouble(LoadGenerator.Window::shopCpuMicrosPerRequest).toArray();
      s.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.3f× | %.3f× |%n", v.label(), min(cpu), median(cpu),
          min(cpu) / min(baseCpu), median(cpu) / median(baseCpu)));
    }
    s.append("\n| target | measured (best over best; median ratio) | p99, median over rounds | verdict |\n"
        + "|---|---:|---:|---|\n");
    for (ShopLaunch v : three.subList(1, 3)) {
      double[] r = ratios.get(v);
      s.append(String.format(Locale.ROOT, "| %s throughput ≥ %.1f× without | %.3f× (%.3f×) | %.2f ms (without: %.2f ms) | %s |%n",
          v.label(), TARGET_THROUGHPUT, r[0], r[1],
          median(windows.get(v).stream().mapToDouble(w -> w.millis(0.99)).toArray()),
          median(windows.get(base).stream().mapToDouble(w -> w.millis(0.99)).toArray()),
          Math.min(r[0], r[1]) >= TARGET_THROUGHPUT ? "met" : r[0] >= TARGET_THROUGHPUT || r[1] >= TARGET_THROUGHPUT
              ? "met on one figure, missed on the other" : "**missed**"));
    }
    s.append("\nStored `customer.email` as read back by JDBC (checked in every round; a plaintext value in a rowseal"
        + " variant stops the run):\n\n");
    stored.forEach((v, d) -> s.append("- ").append(v.label()).append(": ").append(d).append('\n'));
    s.append("\nEvery round, req/s (p99 ms):\n\n| round |");
    three.forEach(v -> s.append(' ').append(v.label()).append(" |"));
    s.append("\n|---:|").append("---:|".repeat(three.size())).append('\n');
    for (int i = 0; i < rounds; i++) {
      s.append("| ").append(i + 1).append(" |");
      for (ShopLaunch v : three) {
        LoadGenerator.Window w = windows.get(v).get(i);
        s.append(String.format(Locale.ROOT, " %.1f (%.2f), %d reads + %d writes, %.0f µs CPU |", w.throughput(),
            w.millis(0.99), w.reads(), w.writes(), w.shopCpuMicrosPerRequest()));
      }
      s.append('\n');
    }
    return s.toString();
  }

  private static String startup(ShopLaunch.Factory variants, List<ShopLaunch> three, int launches, Path work,
      Path beforeJar) throws IOException, InterruptedException {
    SoftHsmToken token = SoftHsmToken.make(work);
    try (KmsEndpoint endpoint = KmsEndpoint.start(variants.sealedAwsJar())) {
      List<ShopLaunch> kinds = new ArrayList<>(three);
      kinds.add(variants.libraryInMemory());
      kinds.add(variants.libraryInMemoryAwsSdk());
      kinds.add(variants.libraryAws(endpoint));
      kinds.add(variants.libraryPkcs11(token));
      if (beforeJar != null) {
        for (ShopLaunch k : List.copyOf(kinds)) {
          if (k.jar().equals(variants.sealedJar())) {
            kinds.add(k.before(beforeJar));
          }
        }
      }
      Map<ShopLaunch, String> stored = new LinkedHashMap<>();
      for (ShopLaunch k : kinds) {
        try (Shop shop = Shop.start(k, work.resolve("startup-" + k.schema() + "-0.log"))) {
          stored.put(k, shop.checkStoredColumns());
        }
      }
      Map<ShopLaunch, double[][]> times = new LinkedHashMap<>();
      for (ShopLaunch k : kinds) {
        times.put(k, new double[2][launches]);
      }
      for (int i = 0; i < launches; i++) {
        for (ShopLaunch k : kinds) {
          try (Shop shop = Shop.start(k, work.resolve("startup-" + k.schema() + "-" + (i + 1) + ".log"))) {
            times.get(k)[0][i] = shop.firstResponseMillis();
            times.get(k)[1][i] = shop.startedMillis();
            System.out.printf(Locale.ROOT, "launch %d %-34s first response %7.0f ms, Started in %7.0f ms%n", i + 1,
                k.label(), shop.firstResponseMillis(), shop.startedMillis());
          }
        }
      }
      double[][] base = times.get(kinds.get(0));
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n## Time to first request%n%n"
          + "From launching the JVM (`Process.start`) to the first 201 of `POST /customers` (the client retries every"
          + " 10 ms until then), and Spring's own `Started ShopApplication in …`. %d launches of each kind, interleaved"
          + " (one of each kind per round), after one unmeasured launch of each that creates its keys (later launches"
          + " find them: a restart). Each launch re-creates the shop's tables (`ddl-auto=create`). The in-memory KMS's"
          + " schema is dropped before each of its launches (its keys die with the process). aws: `KmsWireServer` as"
          + " its own process (a LocalKms behind AWS KMS's JSON protocol, plain HTTP on the loopback), started once."
          + " pkcs11: a SoftHSM2 token made for the run. Library mode runs `app-sealed.jar`, without the AWS SDK, as a"
          + " user of local, in-memory or pkcs11 ships it; the aws kind runs `app-sealed-aws.jar`, with the SDK's KMS"
          + " client and its 46 jars; \"in-memory KMS, AWS SDK jars\" is the in-memory kind on that jar, the SDK"
          + " unused: what its jars cost a Boot start by themselves.%n%n", launches));
      if (beforeJar != null) {
        s.append("\"…, before\": the same kind on another build of the sealed jar, " + beforeJar + ", in the same rounds"
            + " (its own schema and keystore file).\n\n");
      }
      s.append("| kind | first response, best | median | added, best − best | added, median − median |"
          + " `Started … in`, best | median | added, best − best | added, median − median |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (ShopLaunch k : kinds) {
        double[][] t = times.get(k);
        s.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %+.0f ms | %+.0f ms | %.0f ms | %.0f ms | %+.0f ms | %+.0f ms |%n",
            k.label(), min(t[0]), median(t[0]), min(t[0]) - min(base[0]), median(t[0]) - median(base[0]),
            min(t[1]), median(t[1]), min(t[1]) - min(base[1]), median(t[1]) - median(base[1])));
      }
      s.append("\n| target: what rowseal adds in library mode ≤ 300 ms, first response | best − best | median − median |"
          + " verdict |\n|---|---:|---:|---|\n");
      for (ShopLaunch k : kinds) {
        if (!k.jar().equals(variants.sealedJar()) && !k.jar().equals(variants.sealedAwsJar())
            && !k.jar().equals(beforeJar)) {
          continue;
        }
        double[] t = times.get(k)[0];
        double best = min(t) - min(base[0]);
        double med = median(t) - median(base[0]);
        s.append(String.format(Locale.ROOT, "| %s | %+.0f ms | %+.0f ms | %s |%n", k.label(), best, med,
            Math.max(best, med) <= TARGET_STARTUP_MS ? "met" : Math.min(best, med) <= TARGET_STARTUP_MS
                ? "met on one figure, missed on the other" : "**missed**"));
      }
      s.append("\nStored `customer.email` after each kind's first launch: ");
      stored.forEach((k, d) -> s.append(k.label()).append(": ").append(d).append("; "));
      s.append("\n\nEvery launch, first response ms:\n\n");
      for (ShopLaunch k : kinds) {
        s.append("- ").append(k.label()).append(": ").append(Arrays.toString(Arrays.stream(times.get(k)[0])
            .mapToLong(Math::round).toArray())).append('\n');
      }
      return s.toString();
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static int option(List<String> a, String name, int fallback) {
    int i = a.indexOf(name);
    return i >= 0 ? Integer.parseInt(a.get(i + 1)) : fallback;
  }

  /** The file in {@code dir} whose name is {@code name}, or starts with it and ends in .jar (not -sources). */
  static Path jar(Path dir, String name) throws IOException {
    if (Files.isRegularFile(dir.resolve(name))) {
      return dir.resolve(name).toAbsolutePath();
    }
    try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      return files.filter(f -> f.getFileName().toString().startsWith(name) && f.toString().endsWith(".jar")
              && !f.toString().endsWith("-sources.jar") && !f.getFileName().toString().startsWith("original-"))
          .findFirst().map(Path::toAbsolutePath)
          .orElseThrow(() -> new IOException("no " + name + "… jar in " + dir.toAbsolutePath() + "; build it with "
              + "mvn -B -P bench-app -pl agent,benchmarks/app/plain,benchmarks/app/sealed,benchmarks -am package"
              + " -DskipTests"));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
