package io.rowseal.hibernate;

import java.time.Duration;

/**
 * Keeps a {@link RowMigration} at or below its rate (rows examined per second), by sleeping after a
 * batch that came in ahead of schedule, and measures the rate for its progress. Throttling, not
 * synchronisation: the clock is injectable so tests see the sleeps it asks for. Not thread-safe.
 */
final class Pacer {
  /** Time, and the sleep that throttling needs. */
  interface Clock {
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    Clock SYSTEM = new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      }
    };
  }

  private final double maxRowsPerSecond;
  private final Clock clock;
  private final long start;
  private long rows;

  /** {@code maxRowsPerSecond <= 0}: no limit. */
  Pacer(double maxRowsPerSecond, Clock clock) {
    this.maxRowsPerSecond = maxRowsPerSecond;
    this.clock = clock;
    this.start = clock.nanoTime();
  }

  /** Accounts {@code n} more rows and, with a limit, sleeps until they are due. */
  void pace(long n) {
    rows += n;
    if (maxRowsPerSecond <= 0) {
      return;
    }
    long due = start + (long) (rows * 1e9 / maxRowsPerSecond);
    long ahead = due - clock.nanoTime();
    if (ahead > 0) {
      try {
        clock.sleep(Duration.ofNanos(ahead));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MigrationException("RS-4502", "interrupted while throttling; the checkpoint holds the last batch");
      }
    }
  }

  Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime() - start);
  }

  /** Rows per second since the start. */
  double rate() {
    long nanos = Math.max(1, clock.nanoTime() - start);
    return rows * 1e9 / nanos;
  }
}
