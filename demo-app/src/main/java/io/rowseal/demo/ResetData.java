package io.rowseal.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scenario {@code reset}: deletes the demo database, so the next run starts from nothing.
 *
 * <p>The development keystore ({@code ./.rowseal/localkms.p12}) is kept: it holds only the HSMs' key
 * pairs, and a LocalKms that finds it next to empty tables builds a new domain from it. Deleting it while
 * the database remains would make the stored keys unreadable ({@code RS-2010}).
 */
final class ResetData {
  /** Where the demo keeps its H2 database (relative to the working directory). */
  static final String DATA_DIR = "demo-data";

  private ResetData() {}

  static void run(Path dataDir, PrintStream out) {
    // 1. Nothing to do if the folder is not there.
    if (!Files.exists(dataDir)) {
      out.println("Nothing to reset: " + dataDir + " does not exist.");
      return;
    }
    // 2. Delete the folder, deepest entries first.
    try (Stream<Path> walk = Files.walk(dataDir)) {
      List<Path> entries = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : entries) {
        Files.delete(p);
      }
      out.println("Deleted " + dataDir + " (" + (entries.size() - 1) + " files): customers, wrapped keys "
          + "and LocalKms tables. The next run starts afresh.");
    } catch (IOException e) {
      throw new DemoLaunchException("cannot delete " + dataDir + " (is a demo still running?): " + e, e);
    }
  }
}
