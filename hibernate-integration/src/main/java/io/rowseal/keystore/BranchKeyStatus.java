package io.rowseal.keystore;

/** State of one branch-key version in the store. */
public enum BranchKeyStatus {
  /** The one version per key id that wraps new row keys. */
  ACTIVE,
  /** A former ACTIVE version: still unwraps the row keys it wrapped. */
  DECRYPT_ONLY,
  /** Its wrapped key was erased: rows under it are unreadable (crypto-shredding). */
  DESTROYED
}
