package io.rowseal.envelope;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one {@link Envelope}: CMK calls it made, cache hits and misses, rows and values.
 * Reads are cheap and lock-free; values only grow. Thread-safe.
 */
public final class EnvelopeMetrics {
  final LongAdder cmkCalls = new LongAdder();
  final LongAdder branchKeyHits = new LongAdder();
  final LongAdder branchKeyMisses = new LongAdder();
  final LongAdder dekHits = new LongAdder();
  final LongAdder dekMisses = new LongAdder();
  final LongAdder rowsEncrypted = new LongAdder();
  final LongAdder valuesEncrypted = new LongAdder();
  final LongAdder valuesDecrypted = new LongAdder();

  EnvelopeMetrics() {}

  /** Calls this envelope made to its CMK provider (generate data key, unwrap, create key). */
  public long cmkCalls() {
    return cmkCalls.sum();
  }

  public long branchKeyHits() {
    return branchKeyHits.sum();
  }

  public long branchKeyMisses() {
    return branchKeyMisses.sum();
  }

  /** Decryptions whose row DEK was already cached. */
  public long dekHits() {
    return dekHits.sum();
  }

  /** Decryptions that had to unwrap their row DEK. */
  public long dekMisses() {
    return dekMisses.sum();
  }

  /** Row writes begun, i.e. fresh DEKs made. */
  public long rowsEncrypted() {
    return rowsEncrypted.sum();
  }

  public long valuesEncrypted() {
    return valuesEncrypted.sum();
  }

  public long valuesDecrypted() {
    return valuesDecrypted.sum();
  }

  @Override
  public String toString() {
    return "EnvelopeMetrics(cmkCalls=" + cmkCalls() + ", branchKey hits/misses=" + branchKeyHits() + "/"
        + branchKeyMisses() + ", dek hits/misses=" + dekHits() + "/" + dekMisses() + ", rows="
        + rowsEncrypted() + ", values enc/dec=" + valuesEncrypted() + "/" + valuesDecrypted() + ")";
  }
}
