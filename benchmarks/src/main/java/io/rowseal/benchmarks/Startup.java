package io.rowseal.benchmarks;

import io.rowseal.benchmarks.startup.PlainAccount;
import io.rowseal.benchmarks.startup.PlainNote;
import io.rowseal.benchmarks.startup.SealedAccount;
import io.rowseal.benchmarks.startup.SealedNote;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * What rowseal adds to an application's start-up, per KMS backend. Every launch is a fresh JVM that builds a
 * Hibernate session factory (H2 in memory, HikariCP, two entities, tables created) and writes and reads one row;
 * it prints the time from the JVM's start to the factory built and to the row read back. The variants take turns
 * (plaintext, local, in-memory, pkcs11, aws, plaintext, ...) so that load from other processes hits them alike:
 *
 * <ul>
 *   <li>{@code plaintext}: the same entities without {@code @Encrypted}, rowseal not on the class path;
 *   <li>{@code local}: {@code rowseal.kms=local} with a keystore file and passphrase (the file made by an
 *       untimed first launch, so every timed launch opens an existing keystore, as a restart does);
 *   <li>{@code in-memory}: {@code rowseal.kms=in-memory};
 *   <li>{@code pkcs11}: a SoftHSM2 token made for the run in a temporary directory, its key made once;
 *   <li>{@code aws}: the AWS SDK against {@code KmsWireServer} (rowseal-hibernate's test fixture) started once
 *       as its own process; needs {@code --aws-server-cp} (its test class path), else it is left out.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.Startup [--launches N]
 *     [--variants plaintext,local,...] [--jvm-arg ARG]... [--aws-server-cp CP]
 *     [--before-jar JAR [--before-variants local,...]] [--out DIR]
 * </pre>
 *
 * Writes {@code results/<date>-startup.md}. {@code --jvm-arg} passes an option to every launch (a JFR recording,
 * {@code -Xlog:class+load}); {@code --before-jar} adds every rowseal variant once more, as {@code <variant>-before},
 * on another build of rowseal-hibernate, in the same turns (a before/after comparison that load from other
 * processes hits alike); {@code --child VARIANT} is one launch, as the harness runs it.
 */
public final class Startup {
  static final int LAUNCHES = 8;
  static final List<String> VARIANTS = List.of("plaintext", "local", "in-memory", "pkcs11", "aws");
  /** 16 characters or more: what LocalKms asks of a new keystore. */
  static final String PASSPHRASE = "startup-benchmark-passphrase";
  static final String PIN = "startup-pin";
  static final String PIN_ENV = "ROWSEAL_STARTUP_PIN";
  /** Suffix of the variants run on the {@code --before-jar} build. */
  static final String BEFORE = "-before";
  private static final Pattern TIMES = Pattern.compile(
      "STARTUP main=(\\d+) factory=(\\d+) row=(\\d+) cpu-factory=(\\d+) cpu-row=(\\d+)");
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
  private static final Pattern ENDPOINT = Pattern.compile("KMS endpoint (\\S+) key (\\S+)");

  /**
   * One launch: milliseconds from the JVM's start to main, to the factory built, to the row read back; and the
   * CPU time the JVM had used (all its threads: JIT compilers and GC too) at those two points.
   */
  record Launch(long main, long factory, long row, long cpuFactory, long cpuRow) {}

  private Startup() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.contains("--child")) {
      child(a.get(a.indexOf("--child") + 1));
      return;
    }
    int launches = a.contains("--launches") ? Integer.parseInt(a.get(a.indexOf("--launches") + 1)) : LAUNCHES;
    List<String> variants = a.contains("--variants")
        ? List.of(a.get(a.indexOf("--variants") + 1).split(",")) : VARIANTS;
    for (String v : variants) {
      if (!VARIANTS.contains(v)) {
        throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS);
      }
    }
    if (!variants.contains("plaintext")) {
      throw new IllegalArgumentException("--variants must include plaintext, the baseline");
    }
    List<String> jvmArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jvm-arg")) {
        jvmArgs.add(args[++i]);
      }
    }
    String awsCp = a.contains("--aws-server-cp") ? a.get(a.indexOf("--aws-server-cp") + 1) : null;
    String beforeJar = a.contains("--before-jar") ? a.get(a.indexOf("--before-jar") + 1) : null;
    List<String> beforeVariants = a.contains("--before-variants")
        ? List.of(a.get(a.indexOf("--before-variants") + 1).split(",")) : VARIANTS;
    Path out = Main.outDir(a);
    Files.createDirectories(out);
    new Startup.Run(variants, launches, jvmArgs, awsCp, beforeJar, beforeVariants, out).run();
  }

  // ---------------------------------------------------------------------------------------------- the launch

  /** One launch: builds the factory, writes and reads one row, prints the times, exits. */
  static void child(String variant) {
    long mainAt = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    boolean plain = variant.equals("plaintext");
    Properties s = new Properties();
    s.setProperty("hibernate.connection.provider_class",
        "org.hibernate.hikaricp.internal.HikariCPConnectionProvider");
    s.setProperty("hibernate.connection.url", "jdbc:h2:mem:startup;DB_CLOSE_DELAY=-1");
    s.setProperty("hibernate.connection.username", "sa");
    s.setProperty("hibernate.connection.password", "");
    s.setProperty("hibernate.hikari.maximumPoolSize", "2");
    s.setProperty("hibernate.hbm2ddl.auto", "create");
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("rowseal.")) {
        s.setProperty(name, System.getProperty(name));
      }
    }
    Configuration cfg = new Configuration();
    if (plain) {
      cfg.addAnnotatedClass(PlainNote.class).addAnnotatedClass(PlainAccount.class);
    } else {
      cfg.addAnnotatedClass(SealedNote.class).addAnnotatedClass(SealedAccount.class);
    }
    cfg.addProperties(s);
    try (SessionFactory sf = cfg.buildSessionFactory()) {
      long factory = System.nanoTime();
      long cpuFactory = cpuMillis();
      Object id = sf.fromTransaction(session -> {
        Object note = plain ? new PlainNote("t", "the body", "ann") : new SealedNote("t", "the body", "ann");
        session.persist(note);
        session.persist(plain ? new PlainAccount("DE00", 7) : new SealedAccount("DE00", 7));
        return plain ? ((PlainNote) note).getId() : ((SealedNote) note).getId();
      });
      String body;
      try (Session session = sf.openSession()) {
        body = plain ? session.find(PlainNote.class, id).getBody() : session.find(SealedNote.class, id).getBody();
      }
      long row = System.nanoTime();
      long cpuRow = cpuMillis();
      if (!"the body".equals(body)) {
        throw new IllegalStateException("read back '" + body + "'");
      }
      System.out.println("STARTUP main=" + mainAt + " factory=" + (mainAt + (factory - t0) / 1_000_000)
          + " row=" + (mainAt + (row - t0) / 1_000_000) + " cpu-factory=" + cpuFactory + " cpu-row=" + cpuRow);
    }
    System.exit(0);
  }

  private static long cpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  // ------------------------------------------------------------------------------------------------ the run

  /** The harness: prepares the backends, launches the variants in turns, writes the report. */
  static final class Run {
    private final List<String> variants;
    private final int launches;
    private final List<String> jvmArgs;
    private final String awsCp;
    private final String beforeJar;
    private final List<String> beforeVariants;
    private final Path out;
    private final Path dir;
    private final Map<String, List<String>> props = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Process awsServer;

    Run(List<String> variants, int launches, List<String> jvmArgs, String awsCp, String beforeJar,
        List<String> beforeVariants, Path out) throws IOException {
      this.variants = new ArrayList<>(variants);
      this.launches = launches;
      this.jvmArgs = jvmArgs;
      this.awsCp = awsCp;
      this.beforeJar = beforeJar;
      this.beforeVariants = beforeVariants;
      this.out = out;
      this.dir = Files.createTempDirectory("rowseal-startup");
    }

    void run() throws Exception {
      long start = System.nanoTime();
      String machine = Main.machine();
      try {
        prepare();
        Map<String, List<Launch>> times = new LinkedHashMap<>();
        for (String v : variants) {
          launch(v); // untimed: makes the keystore (local), warms the OS file cache
          times.put(v, new ArrayList<>());
        }
        for (int round = 0; round < launches; round++) {
          // each round starts at another variant, so none always follows the same one
          for (int k = 0; k < variants.size(); k++) {
            String v = variants.get((round + k) % variants.size());
            times.get(v).add(launch(v));
          }
          System.out.println("round " + (round + 1) + "/" + launches + " done");
        }
        double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String name = Results.runName(out, "-startup");
        String md = "# rowseal start-up, " + name + "\n\n- Machine: " + machine
            + String.format(Locale.ROOT, "; load average at end %.2f", loadEnd)
            + "\n- Launches: " + launches + " per variant, interleaved (after one untimed launch each)"
            + (jvmArgs.isEmpty() ? "" : "\n- JVM options of every launch: `" + String.join(" ", jvmArgs) + "`")
            + "\n- Wall time: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s\n"
            + notes.stream().map(n -> "- " + n + "\n").reduce("", String::concat) + "\n" + table(times);
        Files.writeString(out.resolve(name + ".md"), md, StandardCharsets.UTF_8);
        System.out.print(md);
      } finally {
        if (awsServer != null) {
          awsServer.destroy();
        }
      }
    }

    private void prepare() throws Exception {
      props.put("plaintext", List.of());
      props.put("in-memory", List.of("-Drowseal.kms=in-memory"));
      props.put("local", List.of("-Drowseal.kms=local", "-Drowseal.kms.local.keystore=" + dir.resolve("localkms.p12"),
          "-Drowseal.kms.local.passphrase=" + PASSPHRASE));
      if (variants.contains("pkcs11") && !preparePkcs11()) {
        variants.remove("pkcs11");
      }
      if (variants.contains("aws") && !prepareAws()) {
        variants.remove("aws");
      }
      if (beforeJar != null) {
        // every rowseal variant once more on another build of rowseal-hibernate, taking turns with this one
        for (String v : List.copyOf(variants)) {
          if (!v.equals("plaintext") && beforeVariants.contains(v)) {
            variants.add(variants.indexOf(v) + 1, v + BEFORE);
            props.put(v + BEFORE, props.get(v));
          }
        }
        notes.add("`<variant>" + BEFORE + "`: rowseal-hibernate from " + beforeJar);
      }
    }

    /** A SoftHSM2 token of this run's own, and one key in it made by rowseal (an untimed launch does not). */
    private boolean preparePkcs11() throws Exception {
      String library = List.of("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/local/lib/softhsm/libsofthsm2.so").stream().filter(l -> Files.isRegularFile(Path.of(l)))
          .findFirst().orElse(null);
      if (library == null) {
        notes.add("pkcs11 left out: SoftHSM2 is not installed");
        return false;
      }
      Path tokens = Files.createDirectories(dir.resolve("tokens"));
      Path conf = dir.resolve("softhsm2.conf");
      Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n");
      env.put("SOFTHSM2_CONF", conf.toString());
      env.put(PIN_ENV, PIN);
      String init = exec(List.of("softhsm2-util", "--init-token", "--free", "--label", "rowseal-startup",
          "--so-pin", "startup-so-pin", "--pin", PIN));
      Matcher m = SLOT.matcher(init);
      if (!m.find()) {
        throw new IllegalStateException("softhsm2-util did not name the slot: " + init);
      }
      List<String> p = new ArrayList<>(List.of("-Drowseal.kms=pkcs11", "-Drowseal.kms.pkcs11.library=" + library,
          "-Drowseal.kms.pkcs11.slot=" + m.group(1), "-Drowseal.kms.pkcs11.pin-env=" + PIN_ENV));
      // the key: made once through rowseal (CKA_SENSITIVE, not extractable), then named by every launch
      String made = exec(command(classPath(false), p, "io.rowseal.benchmarks.startup.MakePkcs11Key"));
      Matcher label = Pattern.compile("KEY (\\S+)").matcher(made);
      if (!label.find()) {
        throw new IllegalStateException("no key made in the SoftHSM2 token: " + made);
      }
      p.add("-Drowseal.cmk-id=" + label.group(1));
      props.put("pkcs11", p);
      return true;
    }

    /** KmsWireServer as a process of its own (its LocalKms in an H2 database in memory). */
    private boolean prepareAws() throws Exception {
      if (awsCp == null) {
        notes.add("aws left out: no --aws-server-cp (the test class path of rowseal-hibernate)");
        return false;
      }
      ProcessBuilder pb = new ProcessBuilder(javaBin(), "-cp", awsCp, "io.rowseal.kms.aws.KmsWireServer", "0",
          "jdbc:h2:mem:kms;DB_CLOSE_DELAY=-1").redirectErrorStream(true);
      awsServer = pb.start();
      BufferedReader r = new BufferedReader(new InputStreamReader(awsServer.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = ENDPOINT.matcher(line);
        if (m.find()) {
          props.put("aws", List.of("-Drowseal.kms=aws", "-Drowseal.kms.aws.endpoint=" + m.group(1),
              "-Drowseal.kms.aws.region=us-east-1", "-Drowseal.cmk-id=" + m.group(2), "-Daws.accessKeyId=x",
              "-Daws.secretAccessKey=y"));
          Thread drain = new Thread(() -> {
            try {
              while (r.readLine() != null) {
                // the server's request log: read so that it never blocks on a full pipe
              }
            } catch (IOException closed) {
              // the server was stopped
            }
          }, "kms-server-output");
          drain.setDaemon(true);
          drain.start();
          return true;
        }
      }
      throw new IllegalStateException("KmsWireServer ended without printing its endpoint");
    }

    private Launch launch(String variant) throws Exception {
      String cp = classPath(variant.equals("plaintext"));
      if (variant.endsWith(BEFORE)) {
        cp = beforeJar + File.pathSeparator + classPath(true);
      }
      if (variant.startsWith("aws")) {
        // the benchmarks' own AWS SDK jars (of the DynamoDB contenders) are an older line than rowseal's KMS client
        cp = Arrays.stream(awsCp.split(File.pathSeparator)).filter(e -> e.contains("awssdk"))
            .reduce((x, y) -> x + File.pathSeparator + y).orElse("") + File.pathSeparator
            + Arrays.stream(cp.split(File.pathSeparator)).filter(e -> !e.contains("awssdk"))
            .reduce((x, y) -> x + File.pathSeparator + y).orElseThrow();
      }
      String output = exec(command(cp, props.get(variant),
          Startup.class.getName(), "--child", variant));
      Matcher m = TIMES.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("launch of " + variant + " printed no times:\n" + output);
      }
      return new Launch(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
          Long.parseLong(m.group(4)), Long.parseLong(m.group(5)));
    }

    private List<String> command(String classPath, List<String> properties, String... main) {
      List<String> c = new ArrayList<>(List.of(javaBin()));
      c.addAll(jvmArgs);
      c.addAll(properties);
      c.add("-cp");
      c.add(classPath);
      c.addAll(List.of(main));
      return c;
    }

    private String exec(List<String> command) throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + output);
      }
      return output;
    }

    private static String javaBin() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This JVM's class path with every jar's manifest {@code Class-Path} spelled out; {@code benchmarks.jar} is
     * replaced by its {@code classes} folder (its manifest would bring rowseal back), and without rowseal the
     * rowseal-hibernate jar and classes are left out.
     */
    static String classPath(boolean withoutRowseal) throws IOException {
      List<String> entries = new ArrayList<>();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        expand(Path.of(e).toAbsolutePath(), entries);
      }
      return entries.stream()
          .filter(e -> !withoutRowseal || !(e.contains("rowseal-hibernate") || e.contains("hibernate-integration")))
          .reduce((x, y) -> x + File.pathSeparator + y).orElseThrow();
    }

    private static void expand(Path entry, List<String> into) throws IOException {
      if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
        into.add(entry.toString());
        return;
      }
      String manifestCp;
      try (JarFile jar = new JarFile(entry.toFile())) {
        manifestCp = jar.getManifest() == null ? null
            : jar.getManifest().getMainAttributes().getValue("Class-Path");
      }
      if (manifestCp == null) {
        into.add(entry.toString());
        return;
      }
      Path classes = entry.resolveSibling("classes");
      if (!Files.isDirectory(classes)) {
        throw new IllegalStateException(entry + " has no classes folder beside it; build the module first");
      }
      into.add(classes.toString());
      for (String dep : manifestCp.trim().split("\\s+")) {
        into.add(entry.getParent().resolve(dep).toString());
      }
    }
  }

  // --------------------------------------------------------------------------------------------- the report

  static String table(Map<String, List<Launch>> times) {
    StringBuilder md = new StringBuilder("Milliseconds from the JVM's start to the session factory built (H2 in"
        + " memory, HikariCP, two entities, tables created) and to the first row written and read back (one"
        + " transaction persisting one row of each entity, one session finding one), wall time and the JVM's CPU time"
        + " (all threads, JIT and GC included: less disturbed by other processes' load than wall time). \"added\" is"
        + " the variant's figure minus plaintext's (the same entities without `@Encrypted`, rowseal not on the class"
        + " path): best minus best, and the median of each round's own difference.\n\n");
    section(md, "Wall time", times, Launch::factory, Launch::row);
    section(md, "CPU time", times, Launch::cpuFactory, Launch::cpuRow);
    md.append("Every launch (wall to factory / to row; CPU to factory / to row; ms):\n\n");
    times.forEach((v, l) -> md.append("- ").append(v).append(": ").append(l.stream()
        .map(x -> x.factory() + "/" + x.row() + "; " + x.cpuFactory() + "/" + x.cpuRow())
        .reduce((x, y) -> x + ", " + y).orElse("")).append('\n'));
    return md.toString();
  }

  private static void section(StringBuilder md, String title, Map<String, List<Launch>> times,
      java.util.function.ToLongFunction<Launch> toFactory, java.util.function.ToLongFunction<Launch> toRow) {
    List<Launch> base = times.get("plaintext");
    long[] bf = base.stream().mapToLong(toFactory).toArray();
    long[] br = base.stream().mapToLong(toRow).toArray();
    md.append("### ").append(title).append("\n\n| variant | to factory, best | median | to first row, best | median"
        + " | added to factory, best | median | added to first row, best | median |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    times.forEach((v, l) -> {
      long[] f = l.stream().mapToLong(toFactory).toArray();
      long[] r = l.stream().mapToLong(toRow).toArray();
      long[] df = new long[l.size()];
      long[] dr = new long[l.size()];
      for (int i = 0; i < l.size(); i++) {
        df[i] = f[i] - bf[i];
        dr[i] = r[i] - br[i];
      }
      boolean b = v.equals("plaintext");
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %s | %s |%n", v, min(f), median(f),
          min(r), median(r), b ? "–" : Long.toString(min(f) - min(bf)), b ? "–" : Long.toString(median(df)),
          b ? "–" : Long.toString(min(r) - min(br)), b ? "–" : Long.toString(median(dr))));
    });
    md.append('\n');
  }

  private static long min(long[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
