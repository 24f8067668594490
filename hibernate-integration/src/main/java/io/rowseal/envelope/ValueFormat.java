package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The stored form of one encrypted value (specified in {@code docs/FORMAT.md}). Version 2 is written;
 * version 1 stays readable.
 *
 * <pre>
 * offset      size  field (version 2)
 * 0           1     format version = 0x02
 * 1           1     flags = 0x00 (reserved; any other value is refused)
 * 2           1     k = length of the branch-key id (1..64)
 * 3           k     branch-key id, ASCII
 * 3+k         4     branch-key version, big-endian, 1..2^31-1 (0 or the top bit set is malformed)
 * 7+k         16    N, the row's derive nonce; the row's DEK is KBKDF(branch key, "rowseal/dek/v2", N)
 * 23+k        12    field IV
 * 35+k        n     ciphertext
 * 35+k+n      16    GCM tag; AAD = bytes [0, 23+k) ‖ UTF-8(logical attribute name)
 * </pre>
 *
 * Version 1 has, between N and the field IV, the DEK wrapped in derive-key mode (48 bytes: AES-256-GCM
 * under L = KBKDF(branch key, "rowseal/dek/v1", N), all-zero IV, AAD = bytes [0, 7+k)); its header is
 * bytes {@code [0, 71+k)}. The header is what every value of one row write shares. The text form is
 * {@code "rs1:"} followed by standard Base64 (with padding) of the binary form, whatever its version;
 * only that canonical text is read (no dropped padding, no set unused bits).
 */
final class ValueFormat {
  static final byte VERSION_1 = 0x01;
  static final byte VERSION_2 = 0x02;
  /** The version this rowseal writes. */
  static final byte CURRENT = VERSION_2;
  static final byte FLAGS_NONE = 0x00;
  static final String TEXT_PREFIX = "rs1:";
  /** Version 1: the label of the one-time key that wraps the DEK. */
  static final String DEK_WRAP_LABEL_V1 = "rowseal/dek/v1";
  /** Version 2: the label of the DEK's derivation from the branch key. */
  static final String DEK_LABEL_V2 = "rowseal/dek/v2";
  /** Length of N. */
  static final int NONCE_LENGTH = DeriveKeyWrapper.NONCE_LENGTH;
  /** Version 1: bytes after the key reference in the header (N ‖ wrapped DEK ‖ tag). */
  static final int V1_DEK_LENGTH = DeriveKeyWrapper.WRAPPED_256_LENGTH;
  /** Fixed part of a version 2 value's overhead; the key id's length adds to it. */
  static final int FIXED_OVERHEAD = 3 + 4 + NONCE_LENGTH + AesGcm.OVERHEAD;

  private ValueFormat() {}

  /** Exact stored size of a value of {@code plaintextLength} bytes, as written now (version 2). */
  static int binaryLength(int plaintextLength, String branchKeyId) {
    return FIXED_OVERHEAD + BranchKeyRef.checkKeyId(branchKeyId).length() + plaintextLength;
  }

  static int textLength(int plaintextLength, String branchKeyId) {
    return TEXT_PREFIX.length() + 4 * ((binaryLength(plaintextLength, branchKeyId) + 2) / 3);
  }

  /** The key-reference prefix {@code version ‖ flags ‖ k ‖ id ‖ keyVersion} of the current version. */
  static byte[] keyReference(BranchKeyRef ref) {
    byte[] id = ref.keyId().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[3 + id.length + 4];
    out[0] = CURRENT;
    out[1] = FLAGS_NONE;
    out[2] = (byte) id.length;
    System.arraycopy(id, 0, out, 3, id.length);
    int v = ref.version();
    int o = 3 + id.length;
    out[o] = (byte) (v >>> 24);
    out[o + 1] = (byte) (v >>> 16);
    out[o + 2] = (byte) (v >>> 8);
    out[o + 3] = (byte) v;
    return out;
  }

  /** A version 2 row header: {@code keyReference ‖ N}. */
  static byte[] header(byte[] keyReference, byte[] nonce) {
    byte[] out = Arrays.copyOf(keyReference, keyReference.length + nonce.length);
    System.arraycopy(nonce, 0, out, keyReference.length, nonce.length);
    return out;
  }

  /** Parses the header of a stored value; every malformation is an {@link IntegrityException}. */
  static Parsed parse(byte[] value) throws IntegrityException {
    return parse(value, 0, AesGcm.OVERHEAD, "stored value");
  }

  /**
   * Parses a row header found at {@code in[offset..]}, which must be followed by at least
   * {@code trailer} more bytes. Offsets in the result are relative to {@code offset}. {@code what}
   * names the thing parsed in messages.
   */
  static Parsed parse(byte[] in, int offset, int trailer, String what) throws IntegrityException {
    if (in == null || in.length < offset + 3) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (too short)");
    }
    byte version = in[offset];
    int dekLength;
    if (version == VERSION_2) {
      dekLength = NONCE_LENGTH;
    } else if (version == VERSION_1) {
      dekLength = V1_DEK_LENGTH;
    } else {
      throw new UnsupportedFormatException(what, version);
    }
    if (in[offset + 1] != FLAGS_NONE) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (unknown flags)");
    }
    int k = in[offset + 2] & 0xff;
    int keyRefLength = 3 + k + 4;
    if (k < 1 || k > BranchKeyRef.MAX_KEY_ID_LENGTH
        || in.length < offset + keyRefLength + dekLength + trailer) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (bad length)");
    }
    return new Parsed(ref(in, offset + 2, k, what), version, keyRefLength, keyRefLength + dekLength);
  }

  /**
   * The branch-key reference whose {@code k ‖ id ‖ version} bytes start at {@code in[at]}. Nearly every
   * value names the same one or two branch-key versions, so the last one parsed is shared: equal bytes
   * give the same instance, which spares the string and makes cache-key comparisons an identity check.
   */
  private static BranchKeyRef ref(byte[] in, int at, int k, String what) throws IntegrityException {
    KnownRef known = lastRef;
    if (known != null && Arrays.equals(known.bytes, 0, known.bytes.length, in, at, at + 1 + k + 4)) {
      return known.ref;
    }
    String keyId = new String(in, at + 1, k, StandardCharsets.US_ASCII);
    int o = at + 1 + k;
    int keyVersion = ((in[o] & 0xff) << 24) | ((in[o + 1] & 0xff) << 16)
        | ((in[o + 2] & 0xff) << 8) | (in[o + 3] & 0xff);
    BranchKeyRef ref;
    try {
      ref = new BranchKeyRef(keyId, keyVersion);
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (bad branch-key reference)");
    }
    lastRef = new KnownRef(Arrays.copyOfRange(in, at, at + 1 + k + 4), ref);
    return ref;
  }

  private static volatile KnownRef lastRef;

  private record KnownRef(byte[] bytes, BranchKeyRef ref) {}

  static String toText(byte[] value) {
    return TEXT_PREFIX + Base64.getEncoder().encodeToString(value);
  }

  static boolean isText(String s) {
    return s != null && s.startsWith(TEXT_PREFIX);
  }

  static byte[] fromText(String text) throws IntegrityException {
    if (!isText(text)) {
      throw new IntegrityException("RS-1002: stored text is not a rowseal value (no '" + TEXT_PREFIX + "' prefix)");
    }
    byte[] value;
    try {
      value = Base64.getDecoder().decode(text.substring(TEXT_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("RS-1002: stored text is malformed (bad Base64)");
    }
    // The JDK's decoder accepts texts without padding and ignores the unused low bits of the last
    // character, so several texts decode to one value. Only the canonical text is accepted, so that
    // every change of a stored text changes the bytes that are authenticated.
    if (!isCanonical(text, value)) {
      throw new IntegrityException("RS-1002: stored text is malformed (non-canonical Base64)");
    }
    return value;
  }

  /** True when {@code text} is exactly {@code toText(value)}; compares only the last quantum. */
  private static boolean isCanonical(String text, byte[] value) {
    int length = TEXT_PREFIX.length() + 4 * ((value.length + 2) / 3);
    if (text.length() != length) {
      return false;
    }
    if (value.length % 3 == 0) {
      return true; // no padding, and every bit of every character is used
    }
    int tail = value.length % 3;
    String last = Base64.getEncoder().encodeToString(Arrays.copyOfRange(value, value.length - tail, value.length));
    return text.regionMatches(length - 4, last, 0, 4);
  }

  /**
   * Where the parts of a parsed value are.
   *
   * @param ref the branch-key reference
   * @param version the format version, {@link #VERSION_1} or {@link #VERSION_2}
   * @param keyRefLength length of the key-reference prefix; N starts here
   * @param headerLength length of the shared header; the field IV starts here
   */
  record Parsed(BranchKeyRef ref, byte version, int keyRefLength, int headerLength) {}

  /** {@code RS-1001}: the value was written by a format version this rowseal does not know. */
  static final class UnsupportedFormatException extends IntegrityException {
    private static final long serialVersionUID = 1L;

    UnsupportedFormatException(String what, byte version) {
      super(String.format("RS-1001: %s has format version 0x%02x; this rowseal reads versions 0x01"
          + " and 0x02 (upgrade rowseal, or the value was altered)", what, version & 0xff));
    }
  }
}
