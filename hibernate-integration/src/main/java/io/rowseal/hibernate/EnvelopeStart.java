package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The envelope of a session factory while it is being built on a thread of its own. Starting the key
 * backend is most of what rowseal adds to a boot — the LocalKms keystore's key derivations, the AWS SDK's
 * client, the PKCS#11 login, the key tables — and needs nothing from Hibernate's metamodel, so
 * {@link RowsealIntegrator} starts it as soon as it has read the settings and Hibernate builds its
 * metamodel, query engine and schema meanwhile; the integrator {@linkplain #join joins} it before the
 * factory is returned. A start that failed fails the boot there with the very exception it threw (same
 * type, code and message as when the envelope was built in place).
 *
 * <p>Thread-safe. The thread is a daemon: it never keeps a JVM alive, and it inherits the booting thread's
 * context class loader (the AWS SDK and JDBC drivers look classes up through it).
 */
final class EnvelopeStart {
  /** What was started: the envelope, whether the factory owns it, and a KMS made for it (or {@code null}). */
  record Built(Envelope envelope, boolean ownsEnvelope, AutoCloseable ownedKms) {}

  private final FutureTask<Built> task;
  private volatile long buildNanos;

  private EnvelopeStart(Supplier<Built> build) {
    this.task = new FutureTask<>(() -> {
      long t0 = System.nanoTime();
      try {
        return build.get();
      } finally {
        buildNanos = System.nanoTime() - t0;
      }
    });
  }

  /** An envelope already built (an {@code rowseal.envelope} instance, or a test's). */
  static EnvelopeStart done(Built built) {
    EnvelopeStart start = new EnvelopeStart(() -> built);
    start.task.run();
    return start;
  }

  /** Runs {@code build} on a new daemon thread. */
  static EnvelopeStart begin(Supplier<Built> build) {
    EnvelopeStart start = new EnvelopeStart(build);
    Thread thread = new Thread(start.task, "rowseal-envelope-start");
    thread.setDaemon(true);
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.start();
    return start;
  }

  /**
   * Waits for the start and returns what it built, or throws what it threw. Not interruptible: the boot it
   * belongs to cannot go on without it (an interrupt is kept for the caller to see).
   */
  Built join() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new EncryptedMappingException("RS-4011", "cannot start rowseal's envelope: " + cause, cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How long the build ran on its thread, in ms (0 until it ends). */
  long buildMillis() {
    return buildNanos / 1_000_000;
  }

  /** What was built, or {@code null} if the start failed (its failure is reported by {@link #join}). */
  Built joinQuietly() {
    try {
      return join();
    } catch (RuntimeException | Error e) {
      return null;
    }
  }
}
