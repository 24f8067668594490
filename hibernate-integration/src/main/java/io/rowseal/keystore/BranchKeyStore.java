package io.rowseal.keystore;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable home of branch keys, wrapped under a CMK. Implementations guarantee, also when several
 * processes share the store: at most one ACTIVE version per key id at any time; versions are never
 * lost or overwritten; every non-destroyed version stays findable.
 *
 * <p>The store never sees plaintext keys: callers pass a function that, given the new version's
 * reference, returns the key wrapped under the CMK (the reference is part of the wrap's encryption
 * context, so the function may be called again with another reference if a concurrent writer won).
 * Thread-safe.
 */
public interface BranchKeyStore {

  /** The ACTIVE version of {@code keyId}, if the key id exists. */
  Optional<BranchKeyRecord> findActive(String keyId);

  /** One version, in any state. */
  Optional<BranchKeyRecord> find(BranchKeyRef ref);

  /** Every version of {@code keyId}, oldest first. */
  List<BranchKeyRecord> versions(String keyId);

  /**
   * Returns the ACTIVE version of {@code keyId}, creating version 1 if the key id does not exist yet.
   * When two processes create at once, both get the same version 1.
   */
  BranchKeyRecord createIfAbsent(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey);

  /**
   * Atomically adds version {@code max + 1} as ACTIVE and demotes the previous ACTIVE version to
   * DECRYPT_ONLY (creating version 1 if the key id is new). Concurrent rotations each add their own
   * version; the last to commit is ACTIVE. If {@code wrapNewKey} throws, nothing is stored and the
   * exception propagates.
   */
  BranchKeyRecord rotate(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey);

  /**
   * Erases the wrapped key of a DECRYPT_ONLY version and marks it DESTROYED: rows under it become
   * unreadable. The ACTIVE version cannot be destroyed (rotate first). Destroying a DESTROYED version
   * again does nothing.
   *
   * @throws IllegalStateException if {@code ref} is the ACTIVE version
   * @throws IllegalArgumentException if the store has no such version
   */
  void destroy(BranchKeyRef ref);
}
