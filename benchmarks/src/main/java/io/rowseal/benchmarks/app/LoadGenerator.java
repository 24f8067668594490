package io.rowseal.benchmarks.app;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded, closed-loop load: {@code clients} threads, each sending one request at a time over the JDK's
 * {@link java.net.http.HttpClient} and the next as soon as it is answered; 80% a customer's page
 * ({@code GET /customers/{id}}, an id drawn uniformly from the seeded ones), 20% a sign-up
 * ({@code POST /customers}). A warm-up, then a measured window: each request started inside the window is
 * timed (send to body read) and counted. Any answer other than 200 / 201 fails the run.
 */
public final class LoadGenerator {
  /** Share of requests that are reads. */
  public static final double READS = 0.8;

  /**
   * What one measured window gave: each request's latency in ns, sorted, and the CPU time the shop's JVM
   * used in the window (all its threads, from the operating system; NaN where it does not tell).
   */
  public record Window(double seconds, long[] sortedNanos, long reads, long writes, double shopCpuNanos) {
    /** The shop JVM's CPU time per request in µs: what a request costs the application, whatever others run. */
    public double shopCpuMicrosPerRequest() {
      return shopCpuNanos / 1e3 / sortedNanos.length;
    }

    public double throughput() {
      return sortedNanos.length / seconds;
    }

    /** The {@code q}-quantile's latency in ms (nearest rank on the sorted array). */
    public double millis(double q) {
      int i = (int) Math.ceil(q * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }
  }

  private LoadGenerator() {}

  /** Runs the load on {@code shop}, customers {@code ids[0]..ids[1]}, and returns the measured window. */
  public static Window run(Shop shop, long[] ids, int clients, Duration warmup, Duration measured)
      throws InterruptedException {
    long start = System.nanoTime();
    long from = start + warmup.toNanos();
    long until = from + measured.toNanos();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Client> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client(shop, ids, from, until, failure);
      c.setName("load-client-" + i);
      all.add(c);
      c.start();
    }
    Thread.sleep(Math.max(0, (from - System.nanoTime()) / 1_000_000));
    double cpuFrom = shop.cpuNanos();
    Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
    double cpuUntil = shop.cpuNanos();
    for (Client c : all) {
      c.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    int n = all.stream().mapToInt(c -> c.count).sum();
    long[] merged = new long[n];
    int at = 0;
    long reads = 0;
    for (Client c : all) {
      System.arraycopy(c.nanos, 0, merged, at, c.count);
      at += c.count;
      reads += c.reads;
    }
    Arrays.sort(merged);
    return new Window(measured.toNanos() / 1e9, merged, reads, n - reads, cpuUntil - cpuFrom);
  }

  private static final class Client extends Thread {
    private final Shop shop;
    private final long[] ids;
    private final long from;
    private final long until;
    private final AtomicReference<RuntimeException> failure;
    long[] nanos = new long[1 << 14];
    int count;
    long reads;

    Client(Shop shop, long[] ids, long from, long until, AtomicReference<RuntimeException> failure) {
      this.shop = shop;
      this.ids = ids;
      this.from = from;
      this.until = until;
      this.failure = failure;
    }

    @Override
    public void run() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long n = 0;
      try {
        while (failure.get() == null) {
          boolean read = random.nextDouble() < READS;
          HttpRequest request = read ? shop.page(random.nextLong(ids[0], ids[1] + 1))
              : shop.signUp("load-" + getName() + "-" + n++ + "@example.com");
          long t0 = System.nanoTime();
          if (t0 >= until) {
            return;
          }
          HttpResponse<byte[]> r = shop.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
          long t1 = System.nanoTime();
          if (r.statusCode() != (read ? 200 : 201)) {
            throw new IllegalStateException(shop.launch().label() + ": " + request.method() + " "
                + request.uri().getPath() + " answered " + r.statusCode());
          }
          if (t0 >= from) {
            if (count == nanos.length) {
              nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = t1 - t0;
            if (read) {
              reads++;
            }
          }
        }
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } catch (Exception e) {
        failure.compareAndSet(null, new IllegalStateException(shop.launch().label() + ": request failed", e));
      }
    }
  }
}
