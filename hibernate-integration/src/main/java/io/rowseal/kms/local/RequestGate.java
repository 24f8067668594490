package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.KmsUsage.Operation;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every LocalKms request passes through: the quota, the per-operation counters and the audit
 * event with the outcome. Thread-safe.
 */
final class RequestGate {
  @FunctionalInterface
  interface Call<T> {
    T run() throws IntegrityException;
  }

  private final TokenBucket quota;
  private final Map<Operation, LongAdder> counts = new EnumMap<>(Operation.class);
  private final LongAdder throttled = new LongAdder();

  RequestGate(TokenBucket quota) {
    this.quota = quota;
    for (Operation op : Operation.values()) {
      counts.put(op, new LongAdder());
    }
  }

  /** Runs a request that may fail authentication. */
  <T> T call(Operation op, String cmkId, EncryptionContext context, Call<T> call) throws IntegrityException {
    if (!quota.tryAcquire()) {
      throttled.increment();
      AuditLog.request(op.auditName(), cmkId, context, "throttled");
      throw new KmsException.Throttled("LocalKms request quota of " + quota.requestsPerSecond()
          + " requests/s exceeded (operation=" + op.auditName() + ", cmk=" + cmkId
          + ", throttled so far=" + throttled.sum() + "); retry with backoff");
    }
    counts.get(op).increment();
    try {
      T result = call.run();
      String id = cmkId == null && result instanceof KeyMetadata m ? m.cmkId() : cmkId;
      AuditLog.request(op.auditName(), id, context, "ok");
      return result;
    } catch (IntegrityException e) {
      AuditLog.request(op.auditName(), cmkId, context, "integrity-failure");
      throw e;
    } catch (KmsException.InvalidKeyState e) {
      AuditLog.request(op.auditName(), cmkId, context, "invalid-state:" + e.state());
      throw e;
    } catch (KmsException.KeyNotFound e) {
      AuditLog.request(op.auditName(), cmkId, context, "not-found");
      throw e;
    } catch (RuntimeException e) {
      AuditLog.request(op.auditName(), cmkId, context, "error:" + e.getClass().getSimpleName());
      throw e;
    }
  }

  /** Runs a request that cannot fail authentication. */
  <T> T callUnchecked(Operation op, String cmkId, EncryptionContext context, Call<T> call) {
    try {
      return call(op, cmkId, context, call);
    } catch (IntegrityException e) {
      throw new IllegalStateException(op.auditName() + " reported an integrity failure", e);
    }
  }

  KmsUsage usage(int cmkCount) {
    Map<Operation, Long> snapshot = new EnumMap<>(Operation.class);
    counts.forEach((op, n) -> snapshot.put(op, n.sum()));
    return new KmsUsage(snapshot, throttled.sum(), cmkCount);
  }

  @Override
  public String toString() {
    return "RequestGate(" + quota + ", throttled=" + throttled.sum() + ")";
  }
}
