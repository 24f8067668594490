package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The Exported Key Token (EKT): the only form in which a CMK's key material is ever stored.
 *
 * <pre>
 * offset  size  field (integers big-endian)
 * 0       1     version = 0x01
 * 1       8     generation of the domain key DK that seals it (u64)
 * 9       12    IV (random)
 * 21      32    AES-256-GCM_DK(CMK key material)
 * 53      16    GCM tag                                        -- 69 bytes in all
 * AAD = "rowseal/ekt/v1" ‖ 0x00 ‖ bytes [0,9) ‖ u16 len ‖ CMK id (UTF-8) ‖ u32 CMK version
 *       ‖ i64 version created at (epoch ms) ‖ u16 len ‖ key spec "AES_256"
 * </pre>
 * Binding the id, version and creation time means an EKT copied to another CMK, version or DK
 * generation, or a stored row whose metadata was edited, fails authentication. The random IV is safe
 * here: a DK seals a few EKTs per CMK version and lives for a day, far below 2<sup>32</sup>.
 */
final class KeyToken {
  static final byte VERSION = 1;
  static final int LENGTH = 9 + AesGcm.OVERHEAD + 32;
  static final String KEY_SPEC = "AES_256";
  private static final byte[] LABEL = "rowseal/ekt/v1".getBytes(StandardCharsets.US_ASCII);

  /** What an EKT is bound to besides its DK generation. */
  record Binding(String cmkId, int cmkVersion, Instant createdAt) {
    @Override
    public String toString() {
      return "CMK '" + cmkId + "' version " + cmkVersion;
    }
  }

  private KeyToken() {}

  /** Seals {@code cmk} under {@code domainKey} of {@code generation}. */
  static byte[] seal(KeyMaterial domainKey, long generation, KeyMaterial cmk, Binding binding,
      RandomSource random) {
    byte[] out = new byte[LENGTH];
    ByteBuffer.wrap(out).put(VERSION).putLong(generation);
    try (KeyMaterial.Lease k = cmk.lease()) {
      AesGcm.encryptInto(domainKey, random::nextKeyBytes, k.bytes(), aad(generation, binding), out, 9);
    }
    return out;
  }

  /** The DK generation named by {@code token}; checks only the length and version. */
  static long generation(byte[] token, Binding binding) throws IntegrityException {
    if (token.length != LENGTH || token[0] != VERSION) {
      throw new IntegrityException("key token of " + binding + " does not verify");
    }
    return ByteBuffer.wrap(token, 1, 8).getLong();
  }

  /** Opens {@code token} with the DK of its generation. */
  static KeyMaterial open(KeyMaterial domainKey, byte[] token, Binding binding)
      throws IntegrityException {
    long generation = generation(token, binding);
    try {
      byte[] cmk = AesGcm.decrypt(domainKey, token, 9, LENGTH - 9, aad(generation, binding));
      KeyMaterial key = KeyMaterial.copyOf(cmk);
      java.util.Arrays.fill(cmk, (byte) 0);
      return key;
    } catch (IntegrityException e) {
      throw new IntegrityException("key token of " + binding + " does not verify");
    }
  }

  private static byte[] aad(long generation, Binding b) {
    byte[] id = b.cmkId().getBytes(StandardCharsets.UTF_8);
    byte[] spec = KEY_SPEC.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(LABEL.length + 1 + 9 + 2 + id.length + 4 + 8 + 2 + spec.length)
        .put(LABEL).put((byte) 0).put(VERSION).putLong(generation)
        .putShort((short) id.length).put(id).putInt(b.cmkVersion())
        .putLong(b.createdAt().toEpochMilli()).putShort((short) spec.length).put(spec)
        .array();
  }
}
