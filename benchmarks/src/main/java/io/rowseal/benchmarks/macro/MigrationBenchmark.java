package io.rowseal.benchmarks.macro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The migration job ({@code RowMigration}) over a whole table of {@link #rows} rows, one invocation per
 * pass, against its baseline in the same run: a plain JDBC keyset-paginated read + {@code UPDATE} of the
 * same rows ({@link MigrationWorkload.Job#BASELINE}). The table is prepared before each invocation,
 * outside the measured time. Run it alone:
 * {@code java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.Migration}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MigrationBenchmark {
  @Param({"h2", "postgresql", "mariadb"})
  public String database;

  /** {@code baseline}, {@code encrypt}, {@code reencrypt} or {@code current} ({@link MigrationWorkload.Job}). */
  @Param({"baseline", "encrypt", "reencrypt", "current"})
  public String job;

  @Param("10000")
  public int rows;

  private MigrationWorkload workload;
  private MigrationWorkload.Job which;

  @Setup(Level.Trial)
  public void setUp() {
    which = MigrationWorkload.Job.of(job);
    workload = MigrationWorkload.open(Database.of(database), rows);
  }

  @Setup(Level.Invocation)
  public void prepare() {
    workload.prepare(which);
  }

  @Benchmark
  public long migrate() {
    return workload.run(which);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    workload.close();
  }
}
