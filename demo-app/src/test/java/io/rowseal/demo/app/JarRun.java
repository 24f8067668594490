package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged demo run in a JVM of its own, as a user runs it: {@code java [-javaagent:...] -jar
 * rowseal-demo.jar <command>} in a working directory of the test's choosing (where the demo keeps
 * {@code demo-data/} and the development keystore {@code .rowseal/}).
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error
 */
record JarRun(int status, String out, String err) {
  /** Only a guard against a hung JVM; no test asserts on time. */
  private static final long HANG_GUARD_MINUTES = 5;

  static Path demoJar() {
    Path jar = Path.of(System.getProperty("demo.jar", "target/rowseal-demo.jar")).toAbsolutePath();
    assertThat(jar).as("the packaged demo (failsafe runs after package)").isRegularFile();
    return jar;
  }

  static JarRun library(Path workDir, String... args) {
    return run(workDir, List.of(), args);
  }

  static JarRun run(Path workDir, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(demoJar().toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(workDir.getParent(), "out", ".txt");
      Path err = Files.createTempFile(workDir.getParent(), "err", ".txt");
      Process p = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the demo did not finish within " + HANG_GUARD_MINUTES + " minutes: "
            + command);
      }
      return new JarRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Standard error without LocalKms's expected development-keystore warning. */
  List<String> unexpectedErrorLines() {
    return err.lines().filter(l -> !l.startsWith("WARN LocalKms - LocalKms runs in its development setup"))
        .filter(l -> !l.startsWith(AUDIT)).filter(l -> !l.isBlank()).toList();
  }

  /** The audit events on stderr (logger {@code rowseal.audit}): what an operator's alert would watch. */
  List<String> auditLines() {
    return err.lines().filter(l -> l.startsWith(AUDIT)).toList();
  }

  private static final String AUDIT = "WARN audit - ";

  @Override
  public String toString() {
    return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
