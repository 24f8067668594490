package io.rowseal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class EnvelopeConcurrencyTest {

  @Test
  void encryptDecrypt_eightThreadsWhileBranchKeyRotates_everyValueDecryptsToWhatWasWritten() throws Exception {
    InMemoryCmkProvider kms = new InMemoryCmkProvider();
    // Tiny caches force evictions (and key destruction) while other threads still use the keys.
    Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(new InMemoryBranchKeyStore())
        .dekCacheMaxSize(64).build();
    int threads = 8;
    int rows = 10_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger rotations = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    Future<?> rotator = pool.submit(() -> {
      start.await();
      while (!done.get()) {
        envelope.rotateBranchKey();
        rotations.incrementAndGet();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3)); // pacing, not synchronisation
      }
      return null;
    });
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(pool.submit(() -> {
        start.await();
        List<byte[]> written = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
          try (RowEncryptor row = envelope.beginRow()) {
            written.add(row.encrypt(value(thread, i), "T.v"));
          }
          if (i % 7 == 0) {
            check(envelope, written.get(i / 2), thread, i / 2, failures);
          }
        }
        for (int i = 0; i < rows; i++) {
          check(envelope, written.get(i), thread, i, failures);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> w : workers) {
      w.get(5, TimeUnit.MINUTES);
    }
    done.set(true);
    rotator.get(1, TimeUnit.MINUTES);
    pool.shutdown();
    assertThat(failures).isEmpty();
    assertThat(rotations.get()).as("rotations during the run").isGreaterThan(5);
  }

  private static void check(Envelope envelope, byte[] stored, int thread, int i,
      ConcurrentLinkedQueue<String> failures) {
    try {
      byte[] plain = envelope.decrypt(stored, "T.v");
      if (!java.util.Arrays.equals(plain, value(thread, i))) {
        failures.add("thread " + thread + " row " + i + ": wrong plaintext");
      }
    } catch (Exception e) {
      failures.add("thread " + thread + " row " + i + ": " + e);
    }
  }

  private static byte[] value(int thread, int i) {
    return ("thread-" + thread + "-row-" + i).getBytes(StandardCharsets.UTF_8);
  }
}
