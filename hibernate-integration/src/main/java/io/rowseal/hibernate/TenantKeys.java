package io.rowseal.hibernate;

import io.rowseal.keystore.BranchKeyRef;
import org.hibernate.SharedSessionContract;

/**
 * Which branch key a row write goes under. By default every row goes under {@code rowseal.branch-key-id};
 * with {@code rowseal.branch-key-per-tenant=true} and Hibernate multi-tenancy ({@code @TenantId}, or a
 * {@code CurrentTenantIdentifierResolver}), each tenant's rows go under a branch key of its own,
 * {@code <branch-key-id>.<tenant id>}, created on the tenant's first write: rotated and destroyed alone, so
 * destroying a tenant's keys takes exactly that tenant's rows. Columns are sized for the longest tenant
 * id allowed ({@code rowseal.tenant-id-max-length}). Immutable and thread-safe.
 */
final class TenantKeys {
  private final String base;
  private final boolean perTenant;
  private final int maxTenantLength;

  TenantKeys(String base, boolean perTenant, int maxTenantLength) {
    this.base = base;
    this.perTenant = perTenant;
    this.maxTenantLength = maxTenantLength;
  }

  /** The branch key of a row written in {@code session}. */
  String keyId(Object session) {
    String tenant = perTenant ? tenantOf(session) : null;
    return tenant == null ? base : keyIdOf(tenant);
  }

  /**
   * The tenant a row is written or read for: the session's tenant id, or {@code null} without one. Row
   * footers bind it ({@link SignedEntity#canonical}), per-tenant branch keys are named after it.
   */
  static String tenantOf(Object session) {
    Object tenant = session instanceof SharedSessionContract s ? s.getTenantIdentifierValue() : null;
    return tenant == null ? null : tenant.toString();
  }

  /**
   * The branch key of {@code tenant}'s rows.
   *
   * @throws EncryptedWriteException if the tenant id cannot be part of a branch-key id
   */
  String keyIdOf(String tenant) {
    String id = base + "." + tenant;
    if (tenant.isEmpty() || tenant.length() > maxTenantLength || !BranchKeyRef.isValidKeyIdText(id)) {
      throw new EncryptedWriteException("RS-4106", base, "tenant id '" + tenant + "' cannot name a branch "
          + "key: " + RowsealSettings.BRANCH_KEY_PER_TENANT + " needs tenant ids of 1 to " + maxTenantLength
          + " characters of [A-Za-z0-9._:-] (" + RowsealSettings.TENANT_ID_MAX_LENGTH + ")", null);
    }
    return id;
  }

  /** The key id columns are sized for: the longest one a row can be written under. */
  String sizingKeyId() {
    return perTenant ? base + "." + "x".repeat(maxTenantLength) : base;
  }
}
