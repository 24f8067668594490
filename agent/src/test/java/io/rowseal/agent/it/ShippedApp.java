package io.rowseal.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * One of the applications under {@code agent/it-apps}, as Maven built it and its users ship it: a Spring
 * Boot executable jar ({@code java -jar crm.jar ...}) or a native Hibernate application (its jar and its
 * dependency jars on a class path). Runs it in a separate JVM, with or without the agent, and opens its
 * H2 database with the application's <em>own</em> H2 driver (in an isolated class loader: the file
 * formats of H2 versions differ, and the test's H2 is not the application's).
 */
final class ShippedApp {

  /** The CRM application of it-apps/boot-app: a Spring Data JPA repository on Spring Boot. */
  static final Domain CRM = new Domain("customer", "com.acme.crm.Customer", "Alice Tester",
      "READ name=Alice Tester email=alice.tester@example.org birthDate=1990-05-17 tier=GOLD",
      List.of(new Column("email", "alice.tester@example.org"), new Column("birth_date", "1990-05-17"),
          new Column("tier", "GOLD")));
  /** The ledger application of it-apps/native-app: native Hibernate, no JPA bootstrap. */
  static final Domain LEDGER = new Domain("account", "com.acme.ledger.Account", "Bob Ledger",
      "READ holder=Bob Ledger iban=DE44500105175407324931 openedOn=2019-03-01 status=FROZEN",
      List.of(new Column("iban", "DE44500105175407324931"), new Column("openedOn", "2019-03-01"),
          new Column("status", "FROZEN")));

  /** A column the agent ITs configure for encryption, and the plaintext the application writes into it. */
  record Column(String name, String plaintext) {
    /** The entity's field: the column name in camel case. */
    String field() {
      StringBuilder field = new StringBuilder();
      for (String part : name.split("_")) {
        field.append(field.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
      }
      return field.toString();
    }
  }

  /**
   * What an application stores: its table, its entity class, the plaintext value of a column that stays
   * plaintext, the line its read prints, and the encrypted columns.
   */
  record Domain(String table, String entity, String plainValue, String readLine, List<Column> encrypted) {
    /** The agent configuration that encrypts {@link #encrypted}. */
    String agentConfig() {
      StringBuilder config = new StringBuilder();
      for (Column column : encrypted) {
        config.append("encrypt.").append(column.field()).append(" = ").append(entity).append('#')
            .append(column.field()).append('\n');
      }
      return config.toString();
    }
  }

  private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final Map<Path, Driver> DRIVERS = new ConcurrentHashMap<>();

  private final String label;
  private final String hibernateLine;
  private final Domain domain;
  private final Path bootJar;
  private final Path nativeDir;

  private ShippedApp(String label, String hibernateLine, Domain domain, Path bootJar, Path nativeDir) {
    this.label = label + " on Hibernate " + hibernateLine;
    this.hibernateLine = hibernateLine;
    this.domain = domain;
    this.bootJar = bootJar;
    this.nativeDir = nativeDir;
  }

  /**
   * A Spring Boot executable jar whose path the failsafe configuration gives as {@code rowseal.it.app.<id>},
   * shipping Hibernate ORM {@code hibernateLine} (e.g. {@code 7.2}).
   */
  static ShippedApp bootJar(String id, String label, String hibernateLine) {
    return new ShippedApp(label, hibernateLine, CRM, Path.of(required(id)), null);
  }

  /** A native Hibernate application: {@code ledger.jar} and {@code lib/} in {@code rowseal.it.app.<id>}. */
  static ShippedApp nativeApp(String id, String label, String hibernateLine) {
    return new ShippedApp(label, hibernateLine, LEDGER, null, Path.of(required(id)));
  }

  Domain domain() {
    return domain;
  }

  /** The Hibernate ORM line this application is meant to ship, e.g. {@code 6.6}. */
  String hibernateLine() {
    return hibernateLine;
  }

  /**
   * Runs the application's own {@code write} or {@code read} on the H2 database at {@code db}. The JVM runs
   * with C1 only and the serial collector: a short-lived run then costs half the CPU time on a shared
   * machine, and neither changes what the application or the agent does.
   */
  ForkedJvm.Result run(List<String> agentArgs, String mode, Path db) {
    return run(agentArgs, db, mode, List.of());
  }

  /** Runs the application's {@code mode} with its {@code parameters} (for {@code seed} and {@code search}). */
  ForkedJvm.Result run(List<String> agentArgs, Path db, String mode, List<String> parameters) {
    List<String> jvmArgs = new ArrayList<>(FAST_START);
    jvmArgs.addAll(agentArgs);
    List<String> args = new ArrayList<>();
    args.add(mode);
    if (bootJar != null) {
      args.addAll(parameters);
      args.add("--spring.datasource.url=" + url(db));
      return ForkedJvm.runJar(jvmArgs, bootJar, args.toArray(String[]::new));
    }
    args.add(url(db));
    args.addAll(parameters);
    List<String> classPath = new ArrayList<>();
    classPath.add(nativeDir.resolve("ledger.jar").toString());
    libraries().forEach(jar -> classPath.add(jar.toString()));
    return ForkedJvm.run(jvmArgs, String.join(java.io.File.pathSeparator, classPath), "com.acme.ledger.LedgerApp",
        args.toArray(String[]::new));
  }

  /** The file name of the hibernate-core jar the application ships, e.g. {@code hibernate-core-6.4.10.Final.jar}. */
  String hibernateJar() {
    return shipped("hibernate-core-");
  }

  /** A connection to the database at {@code db}, through the application's own H2 driver. */
  Connection connect(Path db) throws SQLException {
    Properties credentials = new Properties();
    credentials.setProperty("user", "sa");
    credentials.setProperty("password", "");
    return DRIVERS.computeIfAbsent(h2Driver(), ShippedApp::load).connect(url(db), credentials);
  }

  /** Each H2 driver in a class loader of its own, kept for the test JVM's lifetime (as DriverManager would). */
  private static Driver load(Path h2) {
    try {
      URLClassLoader loader = new URLClassLoader(new URL[] {h2.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      return (Driver) loader.loadClass("org.h2.Driver").getConstructor().newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the H2 driver in " + h2, e);
    }
  }

  /**
   * The database file at {@code db} compacted as docs/MIGRATION.md tells users to ({@code SHUTDOWN COMPACT}, which
   * drops the pages H2 freed), as a byte scan must read it. H2 writes the compacted file LZF-compressed, and a
   * compressed page stores a repeated byte run once, so a scan of that file misses plaintext that is there; it is
   * rewritten without compression first, by the application's own H2 ({@code MVStoreTool.compact}), which copies
   * the live pages: all that the compacted file holds.
   */
  byte[] compactedFile(Path db) throws SQLException, IOException {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      if (e.getErrorCode() != 90121) { // "database is already closed": the shutdown itself
        throw e;
      }
    }
    ClassLoader h2 = DRIVERS.computeIfAbsent(h2Driver(), ShippedApp::load).getClass().getClassLoader();
    try {
      h2.loadClass("org.h2.mvstore.MVStoreTool").getMethod("compact", String.class, boolean.class)
          .invoke(null, dataFile(db).toString(), false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot rewrite " + dataFile(db) + " with the application's H2", e);
    }
    return Files.readAllBytes(dataFile(db));
  }

  static String url(Path db) {
    return "jdbc:h2:file:" + db;
  }

  /** A fresh database location for one run, under target/. */
  static Path freshDatabase(String name) {
    try {
      Path dir = Files.createDirectories(ForkedJvm.work().resolve("shipped-db"));
      Path db = dir.resolve(name);
      Files.deleteIfExists(dataFile(db));
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".trace.db"));
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path dataFile(Path db) {
    return db.resolveSibling(db.getFileName() + ".mv.db");
  }

  @Override
  public String toString() {
    return label;
  }

  private Path h2Driver() {
    if (nativeDir != null) {
      return nativeDir.resolve("lib").resolve(shipped("h2-"));
    }
    String entry = "BOOT-INF/lib/" + shipped("h2-");
    Path copy = ForkedJvm.work().resolve(bootJar.getFileName() + "-" + entry.substring(entry.lastIndexOf('/') + 1));
    if (Files.exists(copy)) {
      return copy; // named after the boot jar and the H2 version; a loaded driver may hold it open
    }
    try (JarFile jar = new JarFile(bootJar.toFile()); InputStream in = jar.getInputStream(jar.getEntry(entry))) {
      Files.copy(in, copy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }

  /** The name of the one shipped library jar whose name starts with {@code prefix} and a digit. */
  private String shipped(String prefix) {
    List<String> names = new ArrayList<>();
    if (nativeDir != null) {
      libraries().forEach(jar -> names.add(jar.getFileName().toString()));
    } else {
      try (JarFile jar = new JarFile(bootJar.toFile())) {
        Collections.list(jar.entries()).stream().map(JarEntry::getName)
            .filter(name -> name.startsWith("BOOT-INF/lib/"))
            .forEach(name -> names.add(name.substring("BOOT-INF/lib/".length())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> found = names.stream()
        .filter(name -> name.startsWith(prefix) && name.length() > prefix.length()
            && Character.isDigit(name.charAt(prefix.length())))
        .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(label + " ships " + found + " for " + prefix + "*: expected exactly one");
    }
    return found.get(0);
  }

  private List<Path> libraries() {
    try (Stream<Path> jars = Files.list(nativeDir.resolve("lib"))) {
      return jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the dependency jars of " + label + " in " + nativeDir
          + "/lib (built by mvn -pl agent -am verify)", e);
    }
  }

  private static String required(String id) {
    String property = "rowseal.it.app." + id;
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run the ITs through "
          + "Maven (mvn -pl agent -am verify), which builds the applications under agent/it-apps first");
    }
    return value;
  }
}
