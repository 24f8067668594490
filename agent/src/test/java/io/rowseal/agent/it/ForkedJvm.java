package io.rowseal.agent.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Runs the fixture application in a separate JVM, as OpenTelemetry's {@code runOnSeparateJvm} does,
 * and returns its exit code and merged output. Also builds the fixture's jars from the test classes.
 */
final class ForkedJvm {

  /** Generous: only there so that a hung JVM fails the test instead of the build. */
  private static final long HANG_GUARD_MINUTES = 3;

  record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + output;
    }
  }

  static Path agentJar() {
    return Path.of(required("rowseal.agent.jar"));
  }

  static Path work() {
    try {
      return Files.createDirectories(Path.of(required("rowseal.it.work")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hibernate, H2 and their dependencies (no rowseal, no test framework): see the pom. */
  static List<String> libraries() {
    try {
      String text = Files.readString(Path.of(required("rowseal.it.fixture-classpath"))).strip();
      return List.of(text.split(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A jar of the test classes under the given package directories (e.g. {@code com/acme/shop}). */
  static synchronized Path fixtureJar(String name, String... packageDirs) {
    Path jar = work().resolve(name);
    Path classes = Path.of(required("rowseal.it.test-classes"));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String dir : packageDirs) {
        try (Stream<Path> files = Files.walk(classes.resolve(dir))) {
          for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
            Files.copy(file, out);
            out.closeEntry();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  static Path writeConfig(String name, String text) {
    try {
      return Files.writeString(work().resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String classPath(Path first, List<String> rest) {
    List<String> entries = new ArrayList<>();
    entries.add(first.toString());
    entries.addAll(rest);
    return String.join(File.pathSeparator, entries);
  }

  /** Runs {@code java [jvmArgs] -jar jar args}. */
  static Result runJar(List<String> jvmArgs, Path jar, String... args) {
    List<String> all = new ArrayList<>(jvmArgs);
    all.add("-jar");
    all.add(jar.toString());
    all.addAll(List.of(args));
    return run(all, null, null, List.of(), running -> { });
  }

  /** Runs {@code java [jvmArgs] -cp classPath mainClass args}. */
  static Result run(List<String> jvmArgs, String classPath, String mainClass, String... args) {
    return run(jvmArgs, classPath, mainClass, List.of(args), running -> { });
  }

  static Result run(List<String> jvmArgs, String classPath, String mainClass, List<String> args,
      Consumer<Running> whileRunning) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    if (mainClass != null) {
      command.add("-cp");
      command.add(classPath);
      command.add(mainClass);
    }
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Running running = new Running(process);
      Thread reader = new Thread(running::drain, "forked-jvm-output");
      reader.setDaemon(true);
      reader.start();
      whileRunning.accept(running);
      if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the forked JVM hung: " + command + "\n" + running.output);
      }
      reader.join();
      return new Result(process.exitValue(), running.output.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String javaagent(Path config) {
    return "-javaagent:" + agentJar() + "=config=" + config;
  }

  /** A forked JVM while it runs: its pid, its output so far, its standard input. */
  static final class Running {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

    private Running(Process process) {
      this.process = process;
    }

    long pid() {
      return process.pid();
    }

    /** Blocks until the JVM prints a line starting with {@code prefix} (or ends). */
    String awaitLine(String prefix) {
      try {
        while (true) {
          String line = lines.poll(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
          if (line == null || line == END) {
            throw new AssertionError("the forked JVM never printed '" + prefix + "':\n" + output);
          }
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    void writeLine(String line) {
      try {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void drain() {
      try (java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          output.append(line).append('\n');
          lines.add(line);
        }
      } catch (IOException e) {
        output.append("(output lost: ").append(e).append(")\n");
      } finally {
        lines.add(END);
      }
    }
  }

  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String END = new String("<end>");

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run the ITs through "
          + "Maven (mvn -pl agent -am verify), which builds the agent jar first");
    }
    return value;
  }

  private ForkedJvm() {}
}
