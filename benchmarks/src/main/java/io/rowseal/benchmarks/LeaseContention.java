package io.rowseal.benchmarks;

import io.rowseal.crypto.KeyMaterial;
import java.util.Locale;

/**
 * Issue 19 item 5, what two writing threads share: every row write leases the cached branch key
 * ({@link KeyMaterial#lease()}, an atomic increment and decrement of one counter in the key), so two threads
 * writing rows under one branch key move that counter's cache line between their cores twice per row. This
 * measures a lease and its release on one thread, on two threads each with a key of its own, and on two
 * threads sharing one key, in rounds; ns per lease on each thread.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.LeaseContention [leases per round]}
 * (a few seconds); prints, writes nothing.
 */
public final class LeaseContention {
  private static volatile long sink;

  private LeaseContention() {}

  public static void main(String[] args) throws InterruptedException {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
    byte[] bytes = new byte[32];
    bytes[0] = 1;
    KeyMaterial shared = KeyMaterial.copyOf(bytes);
    KeyMaterial first = KeyMaterial.copyOf(bytes);
    // apart in memory, as two threads' keys are (each thread allocates in its own buffer): no false sharing
    sink += new byte[1024].length;
    KeyMaterial second = KeyMaterial.copyOf(bytes);
    for (int round = 1; round <= 4; round++) {
      long t0 = System.nanoTime();
      sink += leases(first, n);
      double one = (System.nanoTime() - t0) / (double) n;
      double separate = twoThreads(first, second, n);
      double together = twoThreads(shared, shared, n);
      System.out.printf(Locale.ROOT, "round %d: one thread %.1f ns per lease; two threads, a key each %.1f ns;"
          + " two threads, one key %.1f ns%n", round, one, separate, together);
    }
  }

  private static double twoThreads(KeyMaterial a, KeyMaterial b, long n) throws InterruptedException {
    Thread ta = new Thread(() -> sink += leases(a, n));
    Thread tb = new Thread(() -> sink += leases(b, n));
    long t0 = System.nanoTime();
    ta.start();
    tb.start();
    ta.join();
    tb.join();
    return (System.nanoTime() - t0) / (double) n;
  }

  private static long leases(KeyMaterial key, long n) {
    long s = 0;
    for (long i = 0; i < n; i++) {
      try (KeyMaterial.Lease lease = key.lease()) {
        s += lease.bytes()[(int) (i & 31)];
      }
    }
    return s;
  }
}
