package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.kms.KmsException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The envelope's start on its own thread: what the boot gets when it joins. */
class EnvelopeStartTest {

  @Test
  void join_startThrew_rethrowsTheSameException() {
    KmsException failure = new KmsException("RS-2034", "the token refused the PIN");
    EnvelopeStart start = EnvelopeStart.begin(() -> {
      throw failure;
    });

    Throwable thrown = catchThrowable(start::join);

    assertThat(thrown).isSameAs(failure);
    assertThat(start.joinQuietly()).isNull();
  }

  @Test
  void join_startThrewAnError_rethrowsIt() {
    LinkageError failure = new LinkageError("a class of the KMS client is missing");
    EnvelopeStart start = EnvelopeStart.begin(() -> {
      throw failure;
    });

    assertThat(catchThrowable(start::join)).isSameAs(failure);
  }

  @Test
  void begin_runsOnADaemonThreadWithTheCallersContextClassLoader() {
    AtomicReference<Thread> ran = new AtomicReference<>();
    AtomicReference<ClassLoader> loader = new AtomicReference<>();
    ClassLoader own = new ClassLoader(getClass().getClassLoader()) {};
    Thread caller = Thread.currentThread();
    ClassLoader before = caller.getContextClassLoader();
    caller.setContextClassLoader(own);
    EnvelopeStart start;
    try {
      start = EnvelopeStart.begin(() -> {
        ran.set(Thread.currentThread());
        loader.set(Thread.currentThread().getContextClassLoader());
        return new EnvelopeStart.Built(null, false, null);
      });
    } finally {
      caller.setContextClassLoader(before);
    }

    start.join();

    assertThat(ran.get()).isNotSameAs(caller);
    assertThat(ran.get().isDaemon()).isTrue();
    assertThat(loader.get()).isSameAs(own);
  }

  @Test
  void join_interrupted_stillWaitsForTheStartAndKeepsTheInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EnvelopeStart.Built built = new EnvelopeStart.Built(null, false, null);
    EnvelopeStart start = EnvelopeStart.begin(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return built;
    });
    AtomicReference<Object> joined = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread booting = new Thread(() -> {
      joined.set(start.join());
      interrupted.set(Thread.currentThread().isInterrupted());
    });
    booting.start();
    booting.interrupt();
    release.countDown();
    booting.join();

    assertThat(joined.get()).isSameAs(built);
    assertThat(interrupted.get()).isTrue();
  }

  @Test
  void close_startStillRunning_waitsAndClosesWhatItMade() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Boolean> closed = new AtomicReference<>(false);
    EnvelopeStart start = EnvelopeStart.begin(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new EnvelopeStart.Built(null, false, () -> closed.set(true));
    });
    RowWrites writes = new RowWrites(start);
    Thread closing = new Thread(writes::close);
    closing.start();
    release.countDown();
    closing.join();

    assertThat(closed.get()).isTrue();
  }
}
