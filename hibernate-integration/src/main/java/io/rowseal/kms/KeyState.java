package io.rowseal.kms;

/** Lifecycle of a CMK, as in AWS KMS. */
public enum KeyState {
  /** Wraps and unwraps. */
  ENABLED,
  /** Refuses every cryptographic operation until enabled again; nothing is lost. */
  DISABLED,
  /** Refuses every cryptographic operation; destroyed when the waiting period ends unless cancelled. */
  PENDING_DELETION,
  /** Key material is gone: everything wrapped under it is unreadable, by design. */
  DESTROYED
}
