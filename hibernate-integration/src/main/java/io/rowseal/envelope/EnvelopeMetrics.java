package io.rowseal.envelope;

import io.rowseal.RowsealException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one {@link Envelope}: CMK calls it made (per operation, with errors and time spent),
 * cache hits, misses and evictions, rows and values. Reads are cheap and lock-free; values only grow.
 * Carries no key material and no value. Thread-safe.
 */
public final class EnvelopeMetrics {
  /** The CMK provider's operations, as metrics tag them. */
  public enum KmsOperation {
    CREATE_KEY("createKey"), GENERATE_DATA_KEY("generateDataKey"), WRAP("wrap"), UNWRAP("unwrap"),
    DESCRIBE("describe"), SCHEDULE_DELETION("scheduleDeletion");

    private final String tag;

    KmsOperation(String tag) {
      this.tag = tag;
    }

    /** The operation's name in metrics, e.g. {@code generateDataKey}. */
    public String tag() {
      return tag;
    }
  }

  /**
   * The last KMS request that failed: which operation, its stable code ({@code RS-2004} for an unreachable
   * KMS; {@code null} when the provider threw an exception without one) and when. Names no key material.
   */
  public record KmsFailure(KmsOperation operation, String code, Instant at) {}

  private static final Pattern CODE = Pattern.compile("^(RS-\\d{4})\\b");

  /** Requests, failed requests and nanoseconds spent, of one operation. */
  static final class KmsCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  final Map<KmsOperation, KmsCounters> kms = new EnumMap<>(KmsOperation.class);
  final LongAdder branchKeyEvictions = new LongAdder();
  final LongAdder dekEvictions = new LongAdder();
  final LongAdder cmkCalls = new LongAdder();
  final LongAdder branchKeyHits = new LongAdder();
  final LongAdder branchKeyMisses = new LongAdder();
  final LongAdder dekHits = new LongAdder();
  final LongAdder dekMisses = new LongAdder();
  final LongAdder rowsEncrypted = new LongAdder();
  final LongAdder valuesEncrypted = new LongAdder();
  final LongAdder valuesDecrypted = new LongAdder();
  private volatile KmsFailure lastKmsFailure;

  EnvelopeMetrics() {
    for (KmsOperation op : KmsOperation.values()) {
      kms.put(op, new KmsCounters());
    }
  }

  /**
   * Requests made to the CMK provider for {@code op}, each attempt counted (a throttled request retried
   * counts twice).
   */
  public long kmsRequests(KmsOperation op) {
    return kms.get(op).requests.sum();
  }

  /** Requests for {@code op} that failed (threw), whatever the reason: throttling, integrity, state. */
  public long kmsErrors(KmsOperation op) {
    return kms.get(op).errors.sum();
  }

  /** Nanoseconds spent in requests for {@code op}, summed; divide by {@link #kmsRequests} for the mean. */
  public long kmsNanos(KmsOperation op) {
    return kms.get(op).nanos.sum();
  }

  /** The last KMS request that failed, if any did. */
  public Optional<KmsFailure> lastKmsFailure() {
    return Optional.ofNullable(lastKmsFailure);
  }

  void kmsFailed(KmsOperation op, Throwable failure, Instant at) {
    lastKmsFailure = new KmsFailure(op, codeOf(failure), at);
  }

  /** The stable code of {@code failure}: its own, or the {@code RS-nnnn} its message starts with; else null. */
  static String codeOf(Throwable failure) {
    if (failure instanceof RowsealException e) {
      return e.code();
    }
    if (failure.getMessage() != null) {
      Matcher m = CODE.matcher(failure.getMessage());
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  /** Branch keys that left the cache by expiry or size (their bytes destroyed), not by invalidation. */
  public long branchKeyEvictions() {
    return branchKeyEvictions.sum();
  }

  /** Row DEKs that left the read cache by expiry or size. */
  public long dekEvictions() {
    return dekEvictions.sum();
  }

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
        + branchKeyMisses() + "/" + branchKeyEvictions() + " evicted, dek hits/misses=" + dekHits() + "/"
        + dekMisses() + "/" + dekEvictions() + " evicted, rows="
        + rowsEncrypted() + ", values enc/dec=" + valuesEncrypted() + "/" + valuesDecrypted() + ")";
  }
}
