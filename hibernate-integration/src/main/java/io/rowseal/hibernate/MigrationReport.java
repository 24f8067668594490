package io.rowseal.hibernate;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link RowMigration} did, over the whole job (every run of it since it last finished).
 *
 * @param entity the entity whose rows were walked
 * @param examined rows examined
 * @param rewritten rows written back: legacy plaintext encrypted, values under an older branch key (or
 *     CMK) re-encrypted under the active one, missing footers written
 * @param alreadyCurrent rows that needed nothing (cost no Hibernate load)
 * @param changedConcurrently rows the application wrote (or deleted) between the job's read and its
 *     lock, so that they needed nothing any more: the application's write stands
 * @param failedIds ids of the rows the job could not read or write ({@code RS-4504}), with the reason
 *     logged and kept in the checkpoint's failure table; the job went on past them
 * @param elapsed how long this run took
 * @param resumed whether this run resumed an interrupted one
 */
public record MigrationReport(String entity, long examined, long rewritten, long alreadyCurrent,
    long changedConcurrently, List<String> failedIds, Duration elapsed, boolean resumed) {

  public MigrationReport {
    failedIds = List.copyOf(failedIds);
  }

  /** Rows left as they were: already current or changed concurrently. */
  public long skipped() {
    return alreadyCurrent + changedConcurrently;
  }

  @Override
  public String toString() {
    return "MigrationReport(" + entity + ": " + examined + " examined, " + rewritten + " rewritten, "
        + alreadyCurrent + " already current, " + changedConcurrently + " changed concurrently, "
        + failedIds.size() + " failed" + (failedIds.isEmpty() ? "" : " " + (failedIds.size() <= 20 ? failedIds
        : failedIds.subList(0, 20) + "…")) + ", " + elapsed
        + (resumed ? ", resumed" : "") + ")";
  }
}
