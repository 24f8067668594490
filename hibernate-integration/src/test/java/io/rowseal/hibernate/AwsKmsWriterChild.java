package io.rowseal.hibernate;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.envelope.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * One application JVM of {@link AwsKmsTwoJvmTest}, with {@code rowseal.kms=aws} against the test's KMS endpoint.
 *
 * <p>{@code write}: inserts its rows ({@code first} to {@code first + rows - 1}) in transactions of 100,
 * rotates the branch key every {@code rotateEvery} rows, and after each transaction reads the other JVM's
 * 20 newest rows, which it checks; a read during which the branch-key cache missed (a version this JVM had
 * not cached, made by the other) counts as a miss read. Prints
 * {@code done rows=… rotations=… crossReads=… missReads=… problems=…}.
 *
 * <p>{@code verify}: reads every row of both ranges with fresh caches and prints
 * {@code verified read=… unreadable=… mismatched=…}.
 *
 * <p>Arguments: mode, KMS endpoint URL, key ARN, JDBC URL, user, table suffix, then for {@code write}: first
 * id, rows, rotate every, the other JVM's first id; for {@code verify}: rows per JVM, each JVM's first id.
 * AWS credentials come from the system properties the test sets. Exits 1 on any problem.
 */
public final class AwsKmsWriterChild {
  private static final int PER_TRANSACTION = 100;
  private static final int CROSS_READS = 20;

  private AwsKmsWriterChild() {}

  /** The settings of a session factory on the suffixed tables, its branch keys wrapped by AWS KMS at {@code endpoint}. */
  static Map<String, Object> settings(HikariDataSource pool, String endpoint, String key, String suffix,
      boolean createSchema) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.connection.datasource", pool);
    settings.put("hibernate.hbm2ddl.auto", createSchema ? "create" : "none");
    settings.put("hibernate.physical_naming_strategy", new Jpa.Suffixed(suffix));
    settings.put("hibernate.jdbc.batch_size", 50);
    settings.put(RowsealSettings.KMS, "aws");
    settings.put(RowsealSettings.CMK_ID, key);
    settings.put("rowseal.kms.aws.region", "us-east-1");
    settings.put("rowseal.kms.aws.endpoint", endpoint);
    settings.put("rowseal.keystore.table", DurableFactory.keyStoreTable(suffix));
    return settings;
  }

  static Envelope envelope(SessionFactory factory) {
    return RowSignatures.of(factory.unwrap(SessionFactoryImplementor.class)).envelope();
  }

  public static void main(String[] args) {
    List<String> problems = new ArrayList<>();
    String result;
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(args[3]);
      pool.setUsername(args[4]);
      pool.setMaximumPoolSize(4);
      try (SessionFactory factory = DurableFactory.boot(settings(pool, args[1], args[2], args[5], false),
          Account.class)) {
        result = args[0].equals("write") ? write(factory, args, problems) : verify(factory, args, problems);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      problems.add(e.toString());
      result = "failed";
    }
    problems.forEach(System.err::println);
    System.out.println(result + " problems=" + problems.size());
    System.exit(problems.isEmpty() ? 0 : 1);
  }

  private static String write(SessionFactory factory, String[] args, List<String> problems) {
    long first = Long.parseLong(args[6]);
    long end = first + Long.parseLong(args[7]);
    long rotateEvery = Long.parseLong(args[8]);
    long otherFirst = Long.parseLong(args[9]);
    long otherLast = otherFirst + Long.parseLong(args[7]) - 1;
    Envelope envelope = envelope(factory);
    int rotations = 0;
    long crossReads = 0;
    long missReads = 0;
    for (long from = first; from < end; from += PER_TRANSACTION) {
      long start = from;
      long to = Math.min(from + PER_TRANSACTION, end);
      factory.inTransaction(s -> {
        for (long id = start; id < to; id++) {
          s.persist(new Account(id));
        }
      });
      if ((to - first) % rotateEvery == 0) {
        envelope.rotateBranchKey();
        rotations++;
      }
      long missesBefore = envelope.metrics().branchKeyMisses();
      List<Account> theirs = factory.fromTransaction(s -> s.createQuery(
          "from Account where id between :lo and :hi order by id desc", Account.class)
          .setParameter("lo", otherFirst).setParameter("hi", otherLast).setMaxResults(CROSS_READS).getResultList());
      if (envelope.metrics().branchKeyMisses() > missesBefore && !theirs.isEmpty()) {
        missReads++;
      }
      for (Account a : theirs) {
        crossReads++;
        if (!a.equals(new Account(a.id))) {
          problems.add("row " + a.id + " of the other JVM reads differently from what it wrote");
        }
      }
    }
    return "done rows=" + (end - first) + " rotations=" + rotations + " crossReads=" + crossReads + " missReads="
        + missReads;
  }

  private static String verify(SessionFactory factory, String[] args, List<String> problems) {
    long perJvm = Long.parseLong(args[6]);
    long read = 0;
    long mismatched = 0;
    for (int i = 7; i < args.length; i++) {
      long first = Long.parseLong(args[i]);
      for (long lo = first; lo < first + perJvm; lo += 1_000) {
        long from = lo;
        long to = Math.min(lo + 1_000, first + perJvm);
        List<Account> page = factory.fromTransaction(s -> s.createQuery(
            "from Account where id >= :lo and id < :hi", Account.class)
            .setParameter("lo", from).setParameter("hi", to).getResultList());
        read += page.size();
        for (Account a : page) {
          if (!a.equals(new Account(a.id))) {
            mismatched++;
            problems.add("row " + a.id + " reads differently from what was written");
          }
        }
      }
    }
    return "verified read=" + read + " mismatched=" + mismatched + " branchKeyMisses="
        + envelope(factory).metrics().branchKeyMisses();
  }
}
