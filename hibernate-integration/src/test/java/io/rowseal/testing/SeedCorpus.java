package io.rowseal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed seed corpus of a Jazzer fuzz target: the files under
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/}, where jazzer-junit looks for them (it runs them
 * as regression inputs without {@code JAZZER_FUZZ}, and mutates them when fuzzing). Each fuzz test checks that
 * its corpus holds what the real writers produce, so that the seeds cannot drift from the formats.
 */
public final class SeedCorpus {
  private static final HexFormat HEX = HexFormat.of();

  private SeedCorpus() {}

  /** The seed files of fuzz target {@code method} of {@code fuzzTest}, by content. */
  public static List<byte[]> of(Class<?> fuzzTest, String method) {
    URL dir = fuzzTest.getResource(fuzzTest.getSimpleName() + "Inputs/" + method);
    assertThat(dir).as("seed corpus %sInputs/%s next to %s", fuzzTest.getSimpleName(), method, fuzzTest.getName())
        .isNotNull();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      return files.sorted().map(SeedCorpus::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that the seed corpus of {@code method} holds each of {@code expected}, byte for byte. */
  public static void assertHolds(Class<?> fuzzTest, String method, List<byte[]> expected) {
    assertThat(of(fuzzTest, method).stream().map(HEX::formatHex).toList())
        .as("seed corpus of %s#%s", fuzzTest.getSimpleName(), method)
        .containsAll(expected.stream().map(HEX::formatHex).toList());
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
