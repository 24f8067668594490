package io.rowseal.keystore;

import java.util.regex.Pattern;

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
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_KEY_ID_LENGTH + "}");

  public BranchKeyRef {
    checkKeyId(keyId);
    if (version < 1) {
      throw new IllegalArgumentException(
          "branch-key version must be 1 or more, was " + version + " (key id '" + keyId + "')");
    }
  }

  /** Validates a branch-key id, with a message that says what is allowed. */
  public static String checkKeyId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("branch-key id must be 1 to " + MAX_KEY_ID_LENGTH
          + " characters of [A-Za-z0-9._:-], was '" + keyId + "'");
    }
    return keyId;
  }

  @Override
  public String toString() {
    return keyId + "#" + version;
  }
}
