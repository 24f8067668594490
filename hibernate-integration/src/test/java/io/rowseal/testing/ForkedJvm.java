package io.rowseal.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's child JVM, for tests that kill a process: {@code java -cp <the test class path> main args}.
 * Its standard output is read line by line on a thread of its own (a child that prints a lot never blocks
 * on a full pipe, and two children can run side by side); its standard error goes to a file, whose end
 * every failure message quotes. {@link #kill()} is {@code kill -9} ({@link Process#destroyForcibly()}).
 */
public final class ForkedJvm implements AutoCloseable {
  private static final int STDERR_TAIL = 4000;

  private final String name;
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();

  /** One line of output, or the end of it ({@code text == null}). */
  private record Line(String text) {}

  private ForkedJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::read, "forked-jvm-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} with {@code args} in a new JVM on this JVM's class path, its log at WARN; its
   * standard error goes to {@code <dir>/<name>.stderr.txt}.
   */
  public static ForkedJvm start(Path dir, String name, Class<?> main, String... args) {
    return start(dir, name, List.of(), main, args);
  }

  /** Like {@link #start(Path, String, Class, String...)}, with options for the JVM. */
  public static ForkedJvm start(Path dir, String name, List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        main.getName()));
    command.addAll(List.of(args));
    Path stderr = dir.resolve(name + ".stderr.txt");
    try {
      return new ForkedJvm(name, new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lines printed from the last one read up to the first that matches {@code last} (included);
   * fails if the JVM ends or {@code timeout} passes first.
   */
  public List<String> linesUntil(Predicate<String> last, Duration timeout) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Line line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw failure("printed no expected line within " + timeout, seen);
        }
        if (line.text() == null) {
          lines.add(line);
          throw failure("ended before it printed the expected line", seen);
        }
        seen.add(line.text());
        if (last.test(line.text())) {
          return seen;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Writes {@code line} to its standard input (a child that reads commands, one a line). */
  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw failure("could not be sent '" + line + "' (" + e.getMessage() + ")", List.of());
    }
  }

  /** {@code kill -9}; returns the lines it printed that were not read yet. */
  public List<String> kill() {
    process.destroyForcibly();
    awaitEnd(Duration.ofMinutes(1));
    return rest();
  }

  /** Waits until the JVM ends by itself, which must be with exit code 0; returns the lines not read yet. */
  public List<String> awaitSuccess(Duration timeout) {
    awaitEnd(timeout);
    if (process.exitValue() != 0) {
      throw failure("exited with " + process.exitValue(), rest());
    }
    return rest();
  }

  /** Waits until the JVM ends by itself, with any exit code, and returns that code. */
  public int awaitExit(Duration timeout) {
    awaitEnd(timeout);
    return process.exitValue();
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** The end of what it printed on standard error. */
  public String stderr() {
    try {
      String text = Files.exists(stderr) ? Files.readString(stderr) : "";
      return text.length() > STDERR_TAIL ? "…" + text.substring(text.length() - STDERR_TAIL) : text;
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  /** Kills the JVM if it still runs (a test that failed half-way leaves no process behind). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void awaitEnd(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw failure("did not end within " + timeout, List.of());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Every line still queued, up to the end of the output (the JVM has ended). */
  private List<String> rest() {
    List<String> rest = new ArrayList<>();
    try {
      for (Line line = lines.take(); line.text() != null; line = lines.take()) {
        rest.add(line.text());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return rest;
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(new Line(line));
      }
    } catch (IOException e) {
      // The process was killed while we read: its output ends here.
    } finally {
      lines.add(new Line(null));
    }
  }

  private AssertionError failure(String what, List<String> seen) {
    List<String> last = seen.subList(Math.max(0, seen.size() - 10), seen.size());
    return new AssertionError("JVM " + name + " " + what + "; its last lines: " + last + "; stderr: " + stderr());
  }

  @Override
  public String toString() {
    return "ForkedJvm(" + name + ", " + (process.isAlive() ? "running" : "exit " + process.exitValue()) + ")";
  }
}
