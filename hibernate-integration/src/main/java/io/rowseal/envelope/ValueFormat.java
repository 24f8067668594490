package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The stored form of one encrypted value, version 1 (specified in {@code docs/FORMAT.md}):
 *
 * <pre>
 * offset      size  field
 * 0           1     format version = 0x01
 * 1           1     flags = 0x00 (reserved; any other value is refused)
 * 2           1     k = length of the branch-key id (1..64)
 * 3           k     branch-key id, ASCII
 * 3+k         4     branch-key version, unsigned big-endian
 * 7+k         16    N, the row's derive nonce
 * 23+k        48    wrapped DEK: AES-256-GCM under L = KBKDF(branch key, "rowseal/dek/v1", N),
 *                   all-zero IV, AAD = bytes [0, 7+k)
 * 71+k        12    field IV
 * 83+k        n     ciphertext
 * 83+k+n      16    GCM tag; AAD = bytes [0, 71+k) ‖ UTF-8(logical attribute name)
 * </pre>
 *
 * Bytes {@code [0, 71+k)} are the header every value of one row write shares. The text form is
 * {@code "rs1:"} followed by standard Base64 (with padding) of the binary form.
 */
final class ValueFormat {
  static final byte VERSION_1 = 0x01;
  static final byte FLAGS_NONE = 0x00;
  static final String TEXT_PREFIX = "rs1:";
  static final String DEK_LABEL = "rowseal/dek/v1";
  /** Fixed part of the overhead; the key id's length adds to it. */
  static final int FIXED_OVERHEAD = 3 + 4 + DeriveKeyWrapper.WRAPPED_256_LENGTH + AesGcm.OVERHEAD;

  private ValueFormat() {}

  /** Exact stored size of a value of {@code plaintextLength} bytes. */
  static int binaryLength(int plaintextLength, String branchKeyId) {
    return FIXED_OVERHEAD + BranchKeyRef.checkKeyId(branchKeyId).length() + plaintextLength;
  }

  static int textLength(int plaintextLength, String branchKeyId) {
    return TEXT_PREFIX.length() + 4 * ((binaryLength(plaintextLength, branchKeyId) + 2) / 3);
  }

  /** The key-reference prefix {@code version ‖ flags ‖ k ‖ id ‖ keyVersion}: the DEK wrap's AAD. */
  static byte[] keyReference(BranchKeyRef ref) {
    byte[] id = ref.keyId().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[3 + id.length + 4];
    out[0] = VERSION_1;
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

  /** {@code keyReference ‖ wrappedDek} (the wrapped DEK starts with its nonce N). */
  static byte[] header(byte[] keyReference, byte[] wrappedDek) {
    byte[] out = Arrays.copyOf(keyReference, keyReference.length + wrappedDek.length);
    System.arraycopy(wrappedDek, 0, out, keyReference.length, wrappedDek.length);
    return out;
  }

  /** Parses the header of a stored value; every malformation is an {@link IntegrityException}. */
  static Parsed parse(byte[] value) throws IntegrityException {
    return parse(value, 0, FIXED_OVERHEAD, "stored value");
  }

  /**
   * Parses a row header found at {@code in[offset..]}, which must be followed by at least
   * {@code overhead - 71} more bytes ({@code overhead} counts everything but the key id). Offsets in the
   * result are relative to {@code offset}. {@code what} names the thing parsed in messages.
   */
  static Parsed parse(byte[] in, int offset, int overhead, String what) throws IntegrityException {
    if (in == null || in.length < offset + 3) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (too short)");
    }
    if (in[offset] != VERSION_1) {
      throw new UnsupportedFormatException(what, in[offset], VERSION_1);
    }
    if (in[offset + 1] != FLAGS_NONE) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (unknown flags)");
    }
    int k = in[offset + 2] & 0xff;
    if (k < 1 || k > BranchKeyRef.MAX_KEY_ID_LENGTH || in.length < offset + overhead + k) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (bad length)");
    }
    String keyId = new String(in, offset + 3, k, StandardCharsets.US_ASCII);
    int o = offset + 3 + k;
    int version = ((in[o] & 0xff) << 24) | ((in[o + 1] & 0xff) << 16)
        | ((in[o + 2] & 0xff) << 8) | (in[o + 3] & 0xff);
    BranchKeyRef ref;
    try {
      ref = new BranchKeyRef(keyId, version);
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("RS-1002: " + what + " is malformed (bad branch-key reference)");
    }
    int keyRefLength = 3 + k + 4;
    return new Parsed(ref, keyRefLength, keyRefLength + DeriveKeyWrapper.WRAPPED_256_LENGTH);
  }

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
    try {
      return Base64.getDecoder().decode(text.substring(TEXT_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("RS-1002: stored text is malformed (bad Base64)");
    }
  }

  /**
   * Where the parts of a parsed value are.
   *
   * @param ref the branch-key reference
   * @param keyRefLength length of the key-reference prefix (the DEK wrap's AAD); N starts here
   * @param headerLength length of the shared header; the field IV starts here
   */
  record Parsed(BranchKeyRef ref, int keyRefLength, int headerLength) {}

  /** {@code RS-1001}: the value was written by a format version this rowseal does not know. */
  static final class UnsupportedFormatException extends IntegrityException {
    private static final long serialVersionUID = 1L;

    UnsupportedFormatException(String what, byte version, byte known) {
      super(String.format("RS-1001: %s has format version 0x%02x; this rowseal reads version 0x%02x"
          + " (upgrade rowseal, or the value was altered)", what, version & 0xff, known & 0xff));
    }
  }
}
