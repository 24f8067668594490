package io.rowseal.crypto;

/**
 * Thrown by {@link KeyMaterial#lease()} after the key was destroyed, typically because a cache evicted
 * it while a caller still held the reference; such callers fetch the key again.
 */
public final class DestroyedKeyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DestroyedKeyException() {
    super("key material was destroyed");
  }
}
