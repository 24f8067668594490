package io.rowseal.hibernate;

import java.time.Duration;

/**
 * Where a {@link RowMigration} stands, after each committed batch. Counts cover the whole job, also the
 * runs before a resume; the rate and the estimate cover this run only.
 *
 * @param done rows examined so far (rewritten, skipped or failed)
 * @param total rows the table held when this run started (an estimate: the application inserts and
 *     deletes meanwhile)
 * @param rewritten rows encrypted, re-encrypted or signed
 * @param skipped rows already current, or changed by the application between the job's read and write
 * @param failed rows the job could not read (listed in the report)
 * @param rowsPerSecond rows examined per second by this run
 * @param eta the time left at this rate; {@link Duration#ZERO} once {@code done >= total}
 */
public record MigrationProgress(long done, long total, long rewritten, long skipped, long failed,
    double rowsPerSecond, Duration eta) {

  /** {@code done / total} as a fraction in [0, 1] (1 for an empty table). */
  public double fraction() {
    return total <= 0 ? 1 : Math.min(1, (double) done / total);
  }
}
