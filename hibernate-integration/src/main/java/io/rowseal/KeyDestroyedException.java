package io.rowseal;

/**
 * A value cannot be decrypted because a key it depends on was deliberately destroyed
 * (crypto-shredding). It is an {@link IntegrityException} — the value is unreadable — whose message
 * says which key was destroyed.
 */
public class KeyDestroyedException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public KeyDestroyedException(String message) {
    super(message);
  }
}
