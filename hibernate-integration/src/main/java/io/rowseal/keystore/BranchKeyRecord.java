package io.rowseal.keystore;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored branch-key version: the key wrapped under a CMK, never its plaintext.
 *
 * @param ref key id and version
 * @param status ACTIVE, DECRYPT_ONLY or DESTROYED
 * @param cmkId the CMK that wrapped it
 * @param wrappedKey the CMK's wrapped blob (empty once destroyed)
 * @param createdAt when the version was created
 */
public record BranchKeyRecord(
    BranchKeyRef ref, BranchKeyStatus status, String cmkId, byte[] wrappedKey, Instant createdAt) {

  public BranchKeyRecord {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(cmkId, "cmkId");
    wrappedKey = wrappedKey == null ? new byte[0] : wrappedKey.clone();
  }

  @Override
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BranchKeyRecord r && ref.equals(r.ref) && status == r.status
        && cmkId.equals(r.cmkId) && java.util.Arrays.equals(wrappedKey, r.wrappedKey)
        && Objects.equals(createdAt, r.createdAt);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public String toString() {
    return "BranchKeyRecord(" + ref + ", " + status + ", cmk=" + cmkId + ", wrapped="
        + wrappedKey.length + " bytes, created=" + createdAt + ")";
  }
}
