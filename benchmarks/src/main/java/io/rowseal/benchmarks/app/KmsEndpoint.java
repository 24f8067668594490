package io.rowseal.benchmarks.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * AWS KMS's test endpoint, {@code io.rowseal.kms.aws.KmsWireServer} from rowseal-hibernate's test jar, as
 * its own process (docs/KMS.md, "How it is tested"), over a LocalKms whose tables are in a PostgreSQL schema
 * of their own. It runs on the sealed jar's class path (which holds rowseal-hibernate, the AWS SDK and
 * HikariCP) plus {@code target/kms-wire/} (the test jar and Jackson 2), through Spring Boot's
 * {@code PropertiesLauncher}.
 */
public final class KmsEndpoint implements AutoCloseable {
  private static final Pattern LINE = Pattern.compile("KMS endpoint (\\S+) key (\\S+)");
  private static final String SCHEMA = "app_kmswire";
  private final Process process;
  private final String url;
  private final String key;

  private KmsEndpoint(Process process, String url, String key) {
    this.process = process;
    this.url = url;
    this.key = key;
  }

  /** Starts the endpoint on a free port and waits for its one line naming the URL and a new key. */
  public static KmsEndpoint start(Path sealedJar) throws IOException {
    Path extra = sealedJar.resolveSibling("kms-wire");
    String loaderPath;
    try (Stream<Path> jars = Files.list(extra)) {
      loaderPath = jars.map(Path::toString).sorted().collect(Collectors.joining(","));
    }
    try (Connection c = Shop.connect(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + SCHEMA + " cascade");
      s.execute("create schema " + SCHEMA);
    } catch (SQLException e) {
      throw new IOException("cannot prepare schema " + SCHEMA, e);
    }
    List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dloader.path=" + loaderPath, "-Dloader.main=io.rowseal.kms.aws.KmsWireServer",
        "-cp", sealedJar.toString(), "org.springframework.boot.loader.launch.PropertiesLauncher",
        "0", Shop.JDBC_URL + "?user=" + Shop.JDBC_USER + "&currentSchema=" + SCHEMA);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        // keep draining its output (one line per request) so that it never blocks on a full pipe
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (IOException e) {
            // the process ended
          }
        }, "kms-endpoint-output");
        drain.setDaemon(true);
        drain.start();
        return new KmsEndpoint(p, m.group(1), m.group(2));
      }
      seen.append(line).append('\n');
    }
    throw new IOException("KmsWireServer ended without naming its endpoint:\n" + seen);
  }

  public String url() {
    return url;
  }

  public String key() {
    return key;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
