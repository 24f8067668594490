package io.rowseal.hibernate;

import java.util.Objects;
import java.util.regex.Pattern;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Converts the rows a table already holds, online: encrypts legacy plaintext (what the columns held
 * before rowseal), re-encrypts values under an older branch-key version (or CMK) under the active one,
 * writes missing footers, and fills the blind indexes of searchable attributes that lack one or carry
 * tags under another index-key version than the active one — everything the application itself would do
 * on its next write of each row, done for every row.
 *
 * <pre>{@code
 * MigrationReport report = RowMigration.of(sessionFactory, Customer.class)
 *     .batchSize(500)
 *     .maxRowsPerSecond(2_000)
 *     .progress(p -> log.info("{}/{} rows, ETA {}", p.done(), p.total(), p.eta()))
 *     .run();
 * }</pre>
 *
 * <p><b>Online and lossless.</b> Rows are walked in batches by id, one transaction per batch. Whether a
 * row needs work is decided from its stored bytes, so rows already current cost one read and no
 * decryption. A row that needs work is locked ({@code select ... for update}) and checked again before
 * it is loaded and written back: a row the application wrote between the job's read and its lock is
 * current and left to the application's write; one it writes after the lock waits for the batch to
 * commit and then overwrites the job's write as usual. A signed row's footer is verified against its
 * stored bytes before the row is re-signed, so a tampered row is reported, never laundered.
 *
 * <p><b>Resumable.</b> The checkpoint (last id done, counts, rows that failed) lives in two small
 * tables of the application's database ({@value MigrationCheckpoint#DEFAULT_TABLE} and
 * {@code …_failed}, created on first use) and advances in the transaction of its batch: after a crash,
 * running the job again resumes after the last committed batch, with nothing done twice. Once a run
 * finishes, the next one starts a new pass. One run of a job at a time ({@code RS-4503} otherwise).
 *
 * <p><b>Rows it cannot read</b> (a value that does not verify, a key destroyed, a footer that does not
 * verify) never stop the job: a failing batch is redone row by row, and the report lists their ids.
 *
 * <p>Needs a single-column id the database orders (not composite), and the hierarchy's encrypted
 * columns in the id's table ({@code RS-4501} otherwise). A builder: configure, then {@link #run()};
 * settings are validated as they are set and sealed once the job runs. Not thread-safe; the job runs
 * on the calling thread.
 */
public final class RowMigration {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,50}");

  private final SessionFactoryImplementor factory;
  private final Class<?> entityType;
  private int batchSize = -1;
  private double maxRowsPerSecond = -1;
  private Listener listener;
  private Rekey rekey;
  private boolean reindexAll;
  private String jobName;
  private String checkpointTable;
  private Pacer.Clock clock = Pacer.Clock.SYSTEM;
  private boolean started;

  /** Receives the job's progress after each committed batch, on the job's thread. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(MigrationProgress progress);
  }

  private RowMigration(SessionFactoryImplementor factory, Class<?> entityType) {
    this.factory = factory;
    this.entityType = entityType;
  }

  /** A job over the rows of {@code entityType}'s table (its whole hierarchy). */
  public static RowMigration of(SessionFactory sessionFactory, Class<?> entityType) {
    Objects.requireNonNull(sessionFactory, "sessionFactory");
    Objects.requireNonNull(entityType, "entityType");
    return new RowMigration(sessionFactory.unwrap(SessionFactoryImplementor.class), entityType);
  }

  /** Rows per batch and transaction, 1 to 10,000 (default 500). */
  public RowMigration batchSize(int rows) {
    unstarted();
    checkState(batchSize == -1, "batch size was already set to %s", batchSize);
    check(rows >= 1 && rows <= 10_000, "batch size must be between 1 and 10000, was %s", rows);
    this.batchSize = rows;
    return this;
  }

  /** Rows examined per second at most, over the run (default: no limit). */
  public RowMigration maxRowsPerSecond(double rows) {
    unstarted();
    checkState(maxRowsPerSecond == -1, "maximum rows per second was already set to %s", maxRowsPerSecond);
    check(rows > 0 && Double.isFinite(rows), "maximum rows per second must be positive, was %s", rows);
    this.maxRowsPerSecond = rows;
    return this;
  }

  /** Where progress goes (default: nowhere). */
  public RowMigration progress(Listener listener) {
    unstarted();
    check(this.listener == null, "progress listener was already set to %s", this.listener);
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Re-encrypts rows under branch-key versions below {@code version} (default: every version but the active one). */
  public RowMigration reencryptBelowVersion(int version) {
    check(version >= 1, "branch-key version must be at least 1, was %s", version);
    return rekey(new Rekey(Rekey.Kind.BELOW_VERSION, version, null));
  }

  /**
   * Re-encrypts rows under branch-key versions wrapped by CMK {@code cmkId}, after new versions were made
   * to wrap under another CMK and the branch key rotated: the run refuses ({@code RS-4507}) while
   * {@code cmkId} still wraps the active version.
   */
  public RowMigration reencryptUnderCmk(String cmkId) {
    check(cmkId != null && !cmkId.isBlank(), "CMK id must not be blank");
    return rekey(new Rekey(Rekey.Kind.UNDER_CMK, 0, cmkId));
  }

  /** Re-encrypts nothing: only encrypts legacy plaintext and signs rows without a footer. */
  public RowMigration reencryptNothing() {
    return rekey(new Rekey(Rekey.Kind.NONE, 0, null));
  }

  /**
   * Rewrites every row that holds a searchable value, not only those whose blind index is missing or under
   * an older index-key version: after a change of an attribute's {@code prefix}, {@code bits} or
   * {@code normalize}, which stored tags do not show. Rows are found by the new index once rewritten.
   */
  public RowMigration reindexAll() {
    unstarted();
    checkState(!reindexAll, "re-indexing every row was already set");
    this.reindexAll = true;
    return this;
  }

  private RowMigration rekey(Rekey r) {
    unstarted();
    checkState(rekey == null, "re-encryption was already set to %s", rekey);
    this.rekey = r;
    return this;
  }

  /** The job's name in the checkpoint table (default: the entity name). */
  public RowMigration jobName(String name) {
    unstarted();
    checkState(jobName == null, "job name was already set to %s", jobName);
    check(name != null && !name.isBlank() && name.length() <= 190, "job name must be 1 to 190 characters");
    this.jobName = name;
    return this;
  }

  /** The checkpoint table (default {@value MigrationCheckpoint#DEFAULT_TABLE}; failures go to {@code <name>_failed}). */
  public RowMigration checkpointTable(String name) {
    unstarted();
    checkState(checkpointTable == null, "checkpoint table was already set to %s", checkpointTable);
    check(name != null && NAME.matcher(name).matches(), "checkpoint table must be a plain SQL name "
        + "(letters, digits, _; at most 51), was %s", name);
    this.checkpointTable = name;
    return this;
  }

  /** For tests: the clock throttling reads and sleeps on. */
  RowMigration clock(Pacer.Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Runs (or resumes) the job to the end of the table on the calling thread.
   *
   * @throws MigrationException if the entity cannot be walked or the checkpoint fails; committed
   *     batches stay committed and the next run resumes after them
   */
  public MigrationReport run() {
    unstarted();
    started = true;
    return new MigrationRun(factory, MigrationTable.of(factory, entityType), this).run();
  }

  int batchSize() {
    return batchSize == -1 ? 500 : batchSize;
  }

  double maxRowsPerSecond() {
    return maxRowsPerSecond;
  }

  Listener listener() {
    return listener == null ? p -> { } : listener;
  }

  boolean reindexesAll() {
    return reindexAll;
  }

  Rekey rekey() {
    return rekey == null ? Rekey.notActive() : rekey;
  }

  String jobName(MigrationTable table) {
    return jobName == null ? table.entityName : jobName;
  }

  String checkpointTable() {
    return checkpointTable == null ? MigrationCheckpoint.DEFAULT_TABLE : checkpointTable;
  }

  Pacer.Clock clock() {
    return clock;
  }

  private void unstarted() {
    if (started) {
      throw new IllegalStateException("this migration of " + entityType.getName() + " already ran; start another "
          + "with RowMigration.of");
    }
  }

  private static void checkState(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalStateException(String.format(message, args));
    }
  }

  private static void check(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }

  @Override
  public String toString() {
    return "RowMigration(" + entityType.getName() + ", batch " + batchSize() + ", re-encrypt " + rekey()
        + (reindexAll ? ", re-index every row" : "") + ")";
  }
}
