package io.rowseal.hibernate;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints a {@link RowMigration}'s progress for {@link MigrationCommand}: on a terminal a bar redrawn in
 * place ({@code \r}), otherwise (a log file, a pipe) one plain line at most every {@code interval}.
 * Not thread-safe (the job reports on one thread).
 */
final class ProgressPrinter implements RowMigration.Listener {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final String entity;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long lastLine = Long.MIN_VALUE;
  private boolean barOpen;

  ProgressPrinter(PrintStream out, boolean terminal, String entity, Duration interval, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.entity = entity;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public void onProgress(MigrationProgress p) {
    if (terminal) {
      int filled = (int) Math.round(p.fraction() * WIDTH);
      out.print("\r" + entity + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + line(p));
      out.flush();
      barOpen = true;
      return;
    }
    long now = nanoTime.getAsLong();
    if (lastLine == Long.MIN_VALUE || now - lastLine >= intervalNanos || p.done() >= p.total()) {
      lastLine = now;
      out.println(entity + ": " + line(p));
    }
  }

  /** Ends the bar's line before anything else is printed. */
  void finish() {
    if (barOpen) {
      out.println();
      barOpen = false;
    }
  }

  static String line(MigrationProgress p) {
    return String.format(Locale.ROOT, "%5.1f%% %,d/%,d rows, %,d rewritten, %,d skipped, %,d failed, %,.0f rows/s, ETA %s",
        p.fraction() * 100, p.done(), p.total(), p.rewritten(), p.skipped(), p.failed(), p.rowsPerSecond(),
        eta(p.eta()));
  }

  private static String eta(Duration d) {
    if (d == null) {
      return "unknown";
    }
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
