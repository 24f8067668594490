package io.rowseal.benchmarks.app;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running shop JVM ({@link ShopLaunch}), started by {@link #start}, which returns once the shop has
 * answered its first request, a customer's sign-up ({@code POST /customers}, 201): the time from launching
 * the JVM to that answer is {@link #firstResponseMillis()}. Its output goes to a log file, from which
 * {@link #startedSeconds()} reads Spring's {@code Started … in N seconds}. Closing it ends the JVM.
 */
public final class Shop implements AutoCloseable {
  /** The PostgreSQL database every variant uses, each in its own schema. */
  public static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String JDBC_USER = "postgres";
  private static final Pattern STARTED = Pattern.compile("Started ShopApplication in ([0-9.]+) seconds");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final ShopLaunch launch;
  private final Process process;
  private final Path log;
  private final URI base;
  private final HttpClient http;
  private double firstResponseMillis;

  private Shop(ShopLaunch launch, Process process, Path log, URI base, HttpClient http) {
    this.launch = launch;
    this.process = process;
    this.log = log;
    this.base = base;
    this.http = http;
  }

  /** Launches {@code launch} with its output in {@code log} and waits for its first answered request. */
  public static Shop start(ShopLaunch launch, Path log) throws IOException, InterruptedException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      if (launch.freshSchema()) {
        s.execute("drop schema if exists " + launch.schema() + " cascade");
      }
      s.execute("create schema if not exists " + launch.schema());
    } catch (SQLException e) {
      throw new IOException("cannot prepare schema " + launch.schema() + " at " + JDBC_URL, e);
    }
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(launch.command(port)).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(launch.environment());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    long t0 = System.nanoTime();
    Process p = pb.start();
    Shop shop = new Shop(launch, p, log, URI.create("http://127.0.0.1:" + port), http);
    try {
      shop.awaitFirstResponse(t0);
    } catch (IOException | RuntimeException | InterruptedException e) {
      shop.close();
      throw e;
    }
    return shop;
  }

  private void awaitFirstResponse(long t0) throws IOException, InterruptedException {
    long deadline = t0 + START_TIMEOUT.toNanos();
    HttpRequest first = signUp("first@example.com");
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(launch.label() + " exited with " + process.exitValue() + " before answering; "
            + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(launch.label() + " did not answer within " + START_TIMEOUT + "; " + tail());
      }
      try {
        HttpResponse<String> r = http.send(first, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          firstResponseMillis = (System.nanoTime() - t0) / 1e6;
          return;
        }
        // 404 and the like while Spring starts its servlet: not yet the shop
      } catch (ConnectException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
  }

  /** Milliseconds from launching the JVM to the first 201 of {@code POST /customers}. */
  public double firstResponseMillis() {
    return firstResponseMillis;
  }

  /** Spring's own start-up figure, {@code Started ShopApplication in N seconds}, in ms; NaN if not logged. */
  public double startedMillis() throws IOException {
    Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
    return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
  }

  /** CPU time the shop's JVM has used so far, all threads, in ns; NaN where the operating system does not tell. */
  public double cpuNanos() {
    return process.info().totalCpuDuration().map(d -> (double) d.toNanos()).orElse(Double.NaN);
  }

  public ShopLaunch launch() {
    return launch;
  }

  public URI base() {
    return base;
  }

  public HttpClient http() {
    return http;
  }

  /** A sign-up of a customer whose email is {@code email} (the other fields fixed). */
  public HttpRequest signUp(String email) {
    String json = "{\"name\":\"New Customer\",\"email\":\"" + email + "\",\"phone\":\"+44 20 7946 0999\","
        + "\"address\":\"1 Station Road, Springfield\",\"iban\":\"GB33BUKB20201555555555\"}";
    return HttpRequest.newBuilder(base.resolve("/customers")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  /** A customer's page. */
  public HttpRequest page(long id) {
    return HttpRequest.newBuilder(base.resolve("/customers/" + id)).timeout(Duration.ofSeconds(30)).GET().build();
  }

  /** Adds {@code count} customers of 3 orders each; returns {first id, last id}. */
  public long[] seed(int count) throws IOException, InterruptedException {
    long first = Long.MAX_VALUE;
    long last = 0;
    for (int done = 0; done < count; done += 500) {
      int n = Math.min(500, count - done);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/seed?count=" + n))
          .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      require(r.statusCode() == 200, "POST /seed answered " + r.statusCode() + ": " + r.body());
      first = Math.min(first, number(r.body(), "first"));
      last = Math.max(last, number(r.body(), "last"));
    }
    return new long[] {first, last};
  }

  /**
   * Signs a customer up, reads the stored row by JDBC and refuses (IllegalStateException) unless its four
   * personal columns are as the variant claims: ciphertext ({@code bytea} not containing the value) when
   * {@link ShopLaunch#encrypted()}, the plaintext otherwise; and its page shows the value back.
   * Returns a description of the stored email column for the report.
   */
  public String checkStoredColumns() throws IOException, InterruptedException {
    String email = "check-" + System.nanoTime() + "@example.com";
    HttpResponse<String> created = http.send(signUp(email), HttpResponse.BodyHandlers.ofString());
    require(created.statusCode() == 201, "POST /customers answered " + created.statusCode());
    long id = number(created.body(), "id");
    HttpResponse<String> page = http.send(page(id), HttpResponse.BodyHandlers.ofString());
    require(page.statusCode() == 200 && page.body().contains("\"email\":\"" + email + "\""),
        "GET /customers/" + id + " does not show the email back: " + page.statusCode() + ", email "
            + (page.body().contains("\"email\":null") ? "null" : page.body().contains("\"email\"") ? "another value"
                : "absent"));
    String description = null;
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement("select email, phone, address, iban"
        + " from " + launch.schema() + ".customer where id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        require(rs.next(), "customer " + id + " is not in " + launch.schema() + ".customer");
        for (int col = 1; col <= 4; col++) {
          String column = rs.getMetaData().getColumnName(col);
          String type = rs.getMetaData().getColumnTypeName(col);
          if (launch.encrypted()) {
            require(type.equals("bytea"), launch.label() + ": column customer." + column + " is " + type
                + ", not rowseal's bytea");
            byte[] stored = rs.getBytes(col);
            require(stored != null && stored.length > 28 && !contains(stored, "Springfield")
                && !contains(stored, email) && !contains(stored, "GB33BUKB") && !contains(stored, "7946"),
                launch.label() + ": customer." + column + " of row " + id + " holds plaintext");
            if (col == 1) {
              description = String.format("bytea, %d bytes for a %d-character email, format byte 0x%02x",
                  stored.length, email.length(), stored[0]);
            }
          } else if (col == 1) {
            require(email.equals(rs.getString(col)), launch.label() + ": customer.email is not the plaintext");
            description = type + ", the plaintext";
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot read " + launch.schema() + ".customer", e);
    }
    return description;
  }

  /** Ends the JVM (SIGTERM, then SIGKILL after 30 s) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** The last lines of the JVM's output, for error messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25),
          lines.size()));
    } catch (IOException e) {
      return "no output in " + log;
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(JDBC_URL, JDBC_USER, "");
  }

  /** Drops {@code schema} with everything in it (the shop's tables, rowseal's key store, LocalKms's state). */
  public static void dropSchema(String schema) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + schema + " cascade");
    }
  }

  /** Whether PostgreSQL answers at {@link #JDBC_URL}. */
  public static boolean databaseReachable() {
    try (Connection c = connect()) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
    require(m.find(), "no \"" + key + "\" in " + json);
    return Long.parseLong(m.group(1));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
