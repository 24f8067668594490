package io.rowseal.kms;

import io.rowseal.crypto.KeyMaterial;
import java.util.Objects;

/**
 * A fresh key from {@link CmkProvider#generateDataKey}: its plaintext and the same key wrapped under
 * the CMK. The caller destroys {@link #plaintext()} when done.
 */
public final class DataKey {
  private final KeyMaterial plaintext;
  private final byte[] wrapped;

  public DataKey(KeyMaterial plaintext, byte[] wrapped) {
    this.plaintext = Objects.requireNonNull(plaintext, "plaintext");
    this.wrapped = wrapped.clone();
  }

  public KeyMaterial plaintext() {
    return plaintext;
  }

  /** The wrapped form, to be stored. */
  public byte[] wrapped() {
    return wrapped.clone();
  }

  @Override
  public String toString() {
    return "DataKey(plaintext=redacted, wrapped=" + wrapped.length + " bytes)";
  }
}
