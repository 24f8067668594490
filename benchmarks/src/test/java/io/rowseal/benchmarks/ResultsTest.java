package io.rowseal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A later run on the same day must not overwrite an earlier run's result files. */
class ResultsTest {
  @TempDir
  Path dir;

  @Test
  void runName_isTheDate_thenNumbersOnPastTheFilesAlreadyThere() throws Exception {
    String today = LocalDate.now().toString();
    assertThat(Results.runName(dir, "")).isEqualTo(today);

    Files.writeString(dir.resolve(today + ".md"), "first run");
    assertThat(Results.runName(dir, "")).isEqualTo(today + "-2");

    Files.writeString(dir.resolve(today + "-2.md"), "second run");
    assertThat(Results.runName(dir, "")).isEqualTo(today + "-3");
    assertThat(Results.runName(dir, "-interleaved-jdk17")).isEqualTo(today + "-interleaved-jdk17");
  }
}
