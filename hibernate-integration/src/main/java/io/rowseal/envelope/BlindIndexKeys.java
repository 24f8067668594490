package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.RowsealException;
import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;

/**
 * Keys of blind indexes: an index key is a branch key of its own ({@code <branch-key-id>:index}), kept in
 * the key store under the CMK like any branch key but rotated only on request, so row branch-key
 * rotations never change an index. Each attribute and purpose (equality, prefix of length k) gets its own
 * HMAC key, derived from the index key with the label {@value #LABEL}; a tag is
 * {@code version ‖ HMAC-SHA256(derived, input)} truncated to the declared bits. Thread-safe.
 */
public final class BlindIndexKeys {
  /** KBKDF label of every index HMAC key; distinct from the DEK and wrap labels. */
  public static final String LABEL = "rowseal blind index v1";
  private static final byte[] LABEL_BYTES = LABEL.getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = new byte[0];

  private final BranchKeyCache branchKeys;

  BlindIndexKeys(BranchKeyCache branchKeys) {
    this.branchKeys = branchKeys;
  }

  /** The index key id that goes with branch key {@code branchKeyId}. */
  public static String indexKeyId(String branchKeyId) {
    return branchKeyId + ":index";
  }

  /** The version new index values are written under (version 1 is created on first use). */
  public BranchKeyRef active(String indexKeyId) {
    try {
      BranchKeyRef ref = branchKeys.activeRef(indexKeyId);
      if (ref.version() > 255) {
        throw new RowsealException("RS-1103", "index key '" + indexKeyId + "' has version " + ref.version()
            + "; blind indexes carry their key version in one byte (at most 255)");
      }
      return ref;
    } catch (RowsealException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RowsealException("RS-1101", "cannot obtain the active index key '" + indexKeyId + "': "
          + e.getMessage(), e);
    }
  }

  /** The version before {@code active} if it can still be read, else {@code null}. */
  public BranchKeyRef previous(BranchKeyRef active) {
    if (active.version() < 2) {
      return null;
    }
    BranchKeyRef previous = new BranchKeyRef(active.keyId(), active.version() - 1);
    try {
      branchKeys.key(previous);
      return previous;
    } catch (IntegrityException | RuntimeException e) {
      return null;
    }
  }

  /** Adds a new ACTIVE index-key version (existing index values must then be re-indexed). */
  public BranchKeyRef rotate(String indexKeyId) {
    return branchKeys.rotate(indexKeyId);
  }

  /**
   * {@code version ‖ HMAC-SHA256(K, input)} truncated to {@code bits}, where K is derived from index-key
   * version {@code ref} for {@code attribute} and {@code purpose}.
   */
  public byte[] tag(BranchKeyRef ref, String attribute, String purpose, byte[] input, int bits) {
    KeyMaterial indexKey;
    try {
      indexKey = branchKeys.key(ref);
    } catch (IntegrityException e) {
      throw new RowsealException("RS-1102", "index key " + ref + " cannot be read: " + e.getMessage(), e);
    }
    byte[] context = (purpose + '\0' + attribute).getBytes(StandardCharsets.UTF_8);
    KeyMaterial derived = Kbkdf.derive(indexKey, LABEL_BYTES, context);
    byte[] mac;
    try {
      mac = HmacSha256.mac(derived, input, 0, input.length, EMPTY);
    } finally {
      derived.destroy();
    }
    int bytes = (bits + 7) / 8;
    byte[] out = new byte[1 + bytes];
    out[0] = (byte) ref.version();
    System.arraycopy(mac, 0, out, 1, bytes);
    int spare = bytes * 8 - bits;
    if (spare > 0) {
      out[bytes] &= (byte) (0xFF << spare);
    }
    java.util.Arrays.fill(mac, (byte) 0);
    return out;
  }

  /** The index-key version a stored tag was made under. */
  public static int versionOf(byte[] tag) {
    return tag[0] & 0xFF;
  }
}
