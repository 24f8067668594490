package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * One of the two application JVMs of {@link TwoJvmRotationTest}: on a {@link DurableFactory}, inserts its
 * rows ({@code first} to {@code first + rows - 1}) in transactions of 100 that also update five of its
 * earlier rows (email {@code updated<id>@…}), rotates the branch key every {@code rotateEvery} rows, and
 * after each transaction reads the other JVM's 20 newest rows, which it checks. Writes the ids it updated
 * to a file and prints {@code done rows=… rotations=… crossReads=… problems=…}; exits 1 on any problem.
 * Arguments: JDBC URL, user, table suffix, keystore file, first id, rows, rotate every, the other JVM's
 * first id, file for the updated ids.
 */
public final class ConcurrentWriterChild {
  private static final int PER_TRANSACTION = 100;
  private static final int UPDATES_PER_TRANSACTION = 5;
  private static final int CROSS_READS = 20;

  private ConcurrentWriterChild() {}

  /** What row {@code id} holds once updated. */
  static Account updated(long id) {
    Account a = new Account(id);
    a.email = "updated" + id + "@example.org";
    return a;
  }

  public static void main(String[] args) throws IOException {
    long first = Long.parseLong(args[4]);
    long end = first + Long.parseLong(args[5]);
    long rotateEvery = Long.parseLong(args[6]);
    long otherFirst = Long.parseLong(args[7]);
    long otherLast = otherFirst + Long.parseLong(args[5]) - 1;
    Random random = new Random();
    List<Long> updatedIds = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int rotations = 0;
    long crossReads = 0;
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(args[0]);
      pool.setUsername(args[1]);
      pool.setMaximumPoolSize(4);
      try (DurableFactory app = DurableFactory.open(pool, args[2], Path.of(args[3]), false, Account.class)) {
        for (long from = first; from < end; from += PER_TRANSACTION) {
          long start = from;
          long to = Math.min(from + PER_TRANSACTION, end);
          List<Long> updating = new ArrayList<>();
          for (int i = 0; i < UPDATES_PER_TRANSACTION && start > first; i++) {
            updating.add(first + (long) (random.nextDouble() * (start - first)));
          }
          app.factory().inTransaction(s -> {
            for (long id = start; id < to; id++) {
              s.persist(new Account(id));
            }
            for (long id : updating) {
              s.find(Account.class, id).email = updated(id).email;
            }
          });
          updatedIds.addAll(updating);
          if ((to - first) % rotateEvery == 0) {
            app.envelope().rotateBranchKey();
            rotations++;
          }
          List<Account> theirs = app.factory().fromTransaction(s -> s.createQuery(
              "from Account where id between :lo and :hi order by id desc", Account.class)
              .setParameter("lo", otherFirst).setParameter("hi", otherLast).setMaxResults(CROSS_READS).getResultList());
          for (Account a : theirs) {
            crossReads++;
            // The other JVM's updates are not known here: a row reads as inserted or as updated.
            if (!a.equals(new Account(a.id)) && !a.equals(updated(a.id))) {
              problems.add("row " + a.id + " of the other JVM reads differently from what it wrote");
            }
          }
        }
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      problems.add(e.toString());
    }
    Files.writeString(Path.of(args[8]), updatedIds.stream().map(String::valueOf).collect(Collectors.joining("\n")));
    problems.forEach(System.err::println);
    System.out.println("done rows=" + (end - first) + " rotations=" + rotations + " crossReads=" + crossReads
        + " problems=" + problems.size());
    System.exit(problems.isEmpty() ? 0 : 1);
  }
}
