package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Concurrent sessions share one envelope: every row written is read back equal. */
class ConcurrencyTest {
  static final int THREADS = 4;
  static final int PER_THREAD = 2_500;
  static final int PER_TRANSACTION = 250;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persistAndRead_fourThreadsOfTwoAndAHalfThousandRows_allReadBackEqual(TestDatabase db)
      throws Exception {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Callable<List<Account>>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long first = (long) t * PER_THREAD + 1;
          work.add(() -> writeThenRead(jpa, first));
        }
        List<Account> read = new ArrayList<>();
        for (Future<List<Account>> f : pool.invokeAll(work)) {
          read.addAll(f.get());
        }

        assertThat(read).hasSize(THREADS * PER_THREAD)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, THREADS * PER_THREAD)
                .mapToObj(Account::new).toList());
        assertThat(jpa.envelope.metrics().rowsEncrypted()).isEqualTo(THREADS * PER_THREAD);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static List<Account> writeThenRead(Jpa jpa, long first) {
    for (long from = first; from < first + PER_THREAD; from += PER_TRANSACTION) {
      long start = from;
      jpa.inTransaction(s -> LongStream.range(start, start + PER_TRANSACTION)
          .forEach(i -> s.persist(new Account(i))));
    }
    return jpa.fromTransaction(s -> s.createSelectionQuery(
            "from Account a where a.id between :a and :b order by a.id", Account.class)
        .setParameter("a", first).setParameter("b", first + PER_THREAD - 1).getResultList());
  }
}
