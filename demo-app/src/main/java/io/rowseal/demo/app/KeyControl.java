package io.rowseal.demo.app;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the demo does with rowseal's engine in library mode, where the application builds the
 * {@code Envelope} and the {@code LocalKms} itself: rotate the branch key and count KMS requests. In agent
 * mode both belong to the agent, and there is no KeyControl.
 *
 * <p>Names only demo and JDK types, so that the classes of agent mode never link to a rowseal class.
 */
interface KeyControl extends AutoCloseable {

  /** Requests served by the KMS and work done by the envelope, since this process started. */
  record Usage(Map<String, Long> kmsRequests, int cmkCount, long rowWrites, long rowKeyUnwraps,
      long valuesDecrypted) {
    long totalKmsRequests() {
      return kmsRequests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * One key backend's month: what it bills, its request limit, and what it costs besides the bill.
   *
   * @param backend the {@code rowseal.kms} value
   */
  record BackendBill(String backend, BigDecimal dollars, boolean withinLimit, String limit, String otherCosts) {}

  /** Settings that hand the demo's envelope to Hibernate. */
  Map<String, Object> hibernateSettings();

  /** Adds a new ACTIVE branch-key version; returns it. */
  int rotateBranchKey();

  Usage usage();

  /** Dollars a month at the seed's AWS KMS prices for {@code requests} requests a month and {@code cmks} CMKs. */
  BigDecimal seedMonthlyDollars(long requests, int cmks);

  /** The same month ({@code requests} requests, peaking at {@code peakPerSecond}) on each key backend. */
  List<BackendBill> monthlyByBackend(long requests, int cmks, double peakPerSecond);

  @Override
  void close();
}
