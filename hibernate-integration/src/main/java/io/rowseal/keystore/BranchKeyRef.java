package io.rowseal.keystore;


/**
 * Names one branch-key version: the key id users configure ({@code rowseal.branch-key-id}) and a
 * version number that grows by one with every rotation.
 *
 * @param keyId 1–64 characters of {@code [A-Za-z0-9._:-]}, so that it fits every store and every value
 *     header (see {@code docs/FORMAT.md})
 * @param version 1 or more
 */
public record BranchKeyRef(String keyId, int version) {
  /** Longest key id, in characters (ASCII, so also bytes). */
  public static final int MAX_KEY_ID_LENGTH = 64;

  public BranchKeyRef {
    checkKeyId(keyId);
    if (version < 1) {
      throw new IllegalArgumentException(
          "branch-key version must be 1 or more, was " + version + " (key id '" + keyId + "')");
    }
  }

  /** Validates a branch-key id, with a message that says what is allowed. */
  public static String checkKeyId(String keyId) {
    if (!isValidKeyId(keyId)) {
      throw new IllegalArgumentException("branch-key id must be 1 to " + MAX_KEY_ID_LENGTH
          + " characters of [A-Za-z0-9._:-], was '" + keyId + "'");
    }
    return keyId;
  }

  /** Whether {@code keyId} is a valid branch-key id ({@code [A-Za-z0-9._:-]{1,64}}). */
  public static boolean isValidKeyIdText(String keyId) {
    return isValidKeyId(keyId);
  }

  /**
   * {@code [A-Za-z0-9._:-]{1,64}}, checked by hand: every decrypted value builds a reference, and a
   * regular expression there cost 13% of a warm read (benchmarks/README.md, "Profile").
   */
  private static boolean isValidKeyId(String keyId) {
    if (keyId == null || keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < keyId.length(); i++) {
      char c = keyId.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** As a record's, but an identity check first: cache keys share one instance per version. */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof BranchKeyRef r && version == r.version && keyId.equals(r.keyId));
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + version;
  }

  @Override
  public String toString() {
    return keyId + "#" + version;
  }
}
