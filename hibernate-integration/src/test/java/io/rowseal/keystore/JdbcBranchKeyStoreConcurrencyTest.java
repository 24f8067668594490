package io.rowseal.keystore;

import static io.rowseal.keystore.StoreFixture.CMK;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several stores on separate pools stand for several processes sharing one table. Threads start
 * together from a barrier; the assertions look only at the final state, never at timing.
 */
class JdbcBranchKeyStoreConcurrencyTest {
  private static final int PROCESSES = 2;
  private static final int THREADS_PER_PROCESS = 2;
  private static final int ROTATIONS_PER_THREAD = 25;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_twoProcessesRotatingAtOnce_contiguousVersionsOneActiveNothingOverwritten(TestDatabase db)
      throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      List<JdbcBranchKeyStore> processes = processes(f);
      BranchKeyRecord first = processes.get(0).createIfAbsent("orders", CMK, StoreFixture::wrapped);
      // What each wrap call returned, by thread and ref: a version overwritten by another thread's
      // rotation would hold bytes that differ from what the rotate() that returned it wrapped.
      Map<String, byte[]> lastWrapByThreadAndRef = new ConcurrentHashMap<>();

      List<BranchKeyRecord> rotated = runTogether(processes, (store, thread) -> () -> {
        List<BranchKeyRecord> mine = new ArrayList<>();
        for (int i = 0; i < ROTATIONS_PER_THREAD; i++) {
          int call = i;
          Function<BranchKeyRef, byte[]> wrap = ref -> {
            byte[] bytes = ("wrapped:" + ref + ":" + thread + ":" + call).getBytes(StandardCharsets.UTF_8);
            lastWrapByThreadAndRef.put(thread + "/" + ref, bytes);
            return bytes;
          };
          BranchKeyRecord r = store.rotate("orders", CMK, wrap);
          assertThat(r.wrappedKey()).isEqualTo(lastWrapByThreadAndRef.get(thread + "/" + r.ref()));
          mine.add(r);
        }
        return mine;
      });

      int total = 1 + PROCESSES * THREADS_PER_PROCESS * ROTATIONS_PER_THREAD;
      List<BranchKeyRecord> versions = processes.get(1).versions("orders");
      assertThat(versions).extracting(r -> r.ref().version())
          .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
      assertThat(versions).filteredOn(r -> r.status() == BranchKeyStatus.ACTIVE)
          .extracting(r -> r.ref().version()).containsExactly(total);
      assertThat(processes.get(0).findActive("orders")).contains(versions.get(total - 1));
      List<BranchKeyRecord> written = new ArrayList<>(rotated);
      written.add(first);
      assertThat(versions).extracting(r -> r.ref() + "=" + new String(r.wrappedKey(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrderElementsOf(written.stream()
              .map(r -> r.ref() + "=" + new String(r.wrappedKey(), StandardCharsets.UTF_8)).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void createIfAbsent_manyThreadsInTwoProcesses_allGetTheSameVersion1(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      List<JdbcBranchKeyStore> processes = processes(f);

      List<BranchKeyRecord> created = runTogether(processes, (store, thread) ->
          () -> List.of(store.createIfAbsent("orders", CMK, ref ->
              ("wrapped:" + ref + ":" + thread).getBytes(StandardCharsets.UTF_8))));

      List<BranchKeyRecord> versions = processes.get(0).versions("orders");
      assertThat(versions).hasSize(1);
      assertThat(versions.get(0).ref()).isEqualTo(new BranchKeyRef("orders", 1));
      assertThat(created).hasSize(PROCESSES * THREADS_PER_PROCESS).containsOnly(versions.get(0));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotate_newKeyIdRotatedByManyThreads_oneVersion1AndEveryRotationKept(TestDatabase db) throws Exception {
    try (StoreFixture f = new StoreFixture(db)) {
      List<JdbcBranchKeyStore> processes = processes(f);

      List<BranchKeyRecord> rotated = runTogether(processes, (store, thread) ->
          () -> List.of(store.rotate("orders", CMK, StoreFixture::wrapped)));

      int total = PROCESSES * THREADS_PER_PROCESS;
      assertThat(rotated).extracting(r -> r.ref().version())
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
      assertThat(processes.get(0).versions("orders")).filteredOn(r -> r.status() == BranchKeyStatus.ACTIVE)
          .extracting(r -> r.ref().version()).containsExactly(total);
    }
  }

  private static List<JdbcBranchKeyStore> processes(StoreFixture f) {
    List<JdbcBranchKeyStore> stores = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      stores.add(f.storeInAnotherProcess());
    }
    return stores;
  }

  /** A task for one thread, given its store and a name unique to the thread. */
  private interface ThreadTask {
    Callable<List<BranchKeyRecord>> of(JdbcBranchKeyStore store, String thread);
  }

  /** Runs THREADS_PER_PROCESS threads on each store, released together, and gathers their results. */
  private static List<BranchKeyRecord> runTogether(List<JdbcBranchKeyStore> processes, ThreadTask task)
      throws Exception {
    int threads = processes.size() * THREADS_PER_PROCESS;
    CyclicBarrier startLine = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<BranchKeyRecord>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<List<BranchKeyRecord>> work = task.of(processes.get(t % processes.size()), "t" + t);
        futures.add(pool.submit(() -> {
          startLine.await(30, TimeUnit.SECONDS);
          return work.call();
        }));
      }
      List<BranchKeyRecord> results = new ArrayList<>();
      for (Future<List<BranchKeyRecord>> future : futures) {
        results.addAll(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
