package io.rowseal.kms.local;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of LocalKms's request accounting since it started: requests served per operation (each
 * counts against the quota and, at a cloud KMS, would be billed), requests refused by the quota, and
 * the CMKs not destroyed. Feed it to {@link io.rowseal.kms.CostEstimate} to see what the same traffic
 * would cost at a cloud KMS. Immutable.
 *
 * @param requests requests per operation, throttled ones excluded
 * @param throttled requests refused with {@link io.rowseal.kms.KmsException.Throttled}
 * @param cmkCount CMKs that exist and are not destroyed
 */
public record KmsUsage(Map<Operation, Long> requests, long throttled, int cmkCount) {

  /** The requests LocalKms counts; the names are the audit log's. */
  public enum Operation {
    CREATE_KEY("CreateKey"),
    GENERATE_DATA_KEY("GenerateDataKey"),
    WRAP("Wrap"),
    UNWRAP("Unwrap"),
    DESCRIBE("DescribeKey"),
    ENABLE("EnableKey"),
    DISABLE("DisableKey"),
    ROTATE_KEY("RotateKey"),
    SCHEDULE_DELETION("ScheduleKeyDeletion"),
    CANCEL_DELETION("CancelKeyDeletion");

    private final String auditName;

    Operation(String auditName) {
      this.auditName = auditName;
    }

    /** The name audit events use, after AWS KMS's API names. */
    public String auditName() {
      return auditName;
    }
  }

  public KmsUsage {
    EnumMap<Operation, Long> copy = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      copy.put(op, requests.getOrDefault(op, 0L));
    }
    requests = Collections.unmodifiableMap(copy);
  }

  /** Requests of one operation. */
  public long requests(Operation operation) {
    return requests.get(operation);
  }

  /** All requests served. */
  public long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }
}
