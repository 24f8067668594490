package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.envelope.EnvelopeMetrics.KmsCounters;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Counts every request to the CMK provider it wraps into {@link EnvelopeMetrics}: per operation, the
 * requests, those that threw, and the nanoseconds they took. Sees only ids and outcomes. Thread-safe when
 * the delegate is.
 */
final class MeteredCmkProvider implements CmkProvider {
  @FunctionalInterface
  private interface Call<T> {
    T run() throws IntegrityException;
  }

  private final CmkProvider delegate;
  private final EnvelopeMetrics metrics;
  private final InstantSource clock;

  MeteredCmkProvider(CmkProvider delegate, EnvelopeMetrics metrics, InstantSource clock) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public KeyMetadata createKey(String description) {
    return unchecked(KmsOperation.CREATE_KEY, () -> delegate.createKey(description));
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    return unchecked(KmsOperation.GENERATE_DATA_KEY, () -> delegate.generateDataKey(cmkId, context));
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    return unchecked(KmsOperation.WRAP, () -> delegate.wrap(cmkId, key, context));
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    return call(KmsOperation.UNWRAP, () -> delegate.unwrap(cmkId, wrapped, context));
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    return unchecked(KmsOperation.DESCRIBE, () -> delegate.describe(cmkId));
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    return unchecked(KmsOperation.SCHEDULE_DELETION, () -> delegate.scheduleDeletion(cmkId, waitingPeriod));
  }

  private <T> T unchecked(KmsOperation op, Call<T> call) {
    try {
      return call(op, call);
    } catch (IntegrityException e) {
      throw new IllegalStateException("an operation without integrity check reported one", e);
    }
  }

  private <T> T call(KmsOperation op, Call<T> call) throws IntegrityException {
    KmsCounters counters = metrics.kms.get(op);
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = call.run();
      ok = true;
      return result;
    } catch (IntegrityException | RuntimeException e) {
      metrics.kmsFailed(op, e, clock.instant());
      throw e;
    } finally {
      counters.nanos.add(System.nanoTime() - start);
      counters.requests.increment();
      if (!ok) {
        counters.errors.increment();
      }
    }
  }

  @Override
  public String backend() {
    return delegate.backend();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
