package io.rowseal.kms.local;

import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.local.KmsTables.CmkRow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The MAC that authenticates a CMK row (id, description, state, dates) under the domain, so that a row
 * edited outside LocalKms — a disabled key re-enabled, a deletion cancelled or brought forward — is
 * refused at start. Column {@code state_mac} of table {@code <prefix>cmk}, with the DK generation it is
 * keyed under in column {@code mac_generation}:
 *
 * <pre>
 * state_mac = 0x01 (version) ‖ HMAC-SHA256(K_g, message)(32)          -- 33 bytes
 * K_g       = KBKDF(DK_g, label "rowseal/localkms/cmk-state", context = u64 g)
 * message   = 0x01 ‖ u64 g ‖ u16 len ‖ CMK id (UTF-8) ‖ u32 len ‖ description (UTF-8)
 *             ‖ u16 len ‖ state name (ASCII) ‖ i64 created at (epoch ms)
 *             ‖ u8 1 ‖ i64 deletion date (epoch ms)  or  u8 0 ‖ i64 0  when there is none
 * </pre>
 * The key lives only inside an HSM, derived from the domain key of generation {@code g}: whoever can
 * write the tables but holds no domain key cannot make a MAC. Rotation of the domain key re-MACs every
 * row under the new generation (see {@link DomainKeyRotation}). A MAC shows that LocalKms wrote the row,
 * not that the row is the newest LocalKms wrote (docs/KEY-HIERARCHY.md, "Limits of this version").
 */
final class CmkStateMac {
  static final byte VERSION = 1;
  static final int LENGTH = 1 + HmacSha256.LENGTH;
  private static final byte[] LABEL = "rowseal/localkms/cmk-state".getBytes(StandardCharsets.US_ASCII);

  private CmkStateMac() {}

  /** The {@code state_mac} value of {@code row} under {@code domainKey} of {@code generation}. */
  static byte[] compute(KeyMaterial domainKey, long generation, CmkRow row) {
    KeyMaterial key = Kbkdf.derive(domainKey, LABEL, ByteBuffer.allocate(8).putLong(generation).array());
    try {
      byte[] message = message(generation, row);
      byte[] tag = HmacSha256.mac(key, message, 0, message.length, new byte[0]);
      return ByteBuffer.allocate(LENGTH).put(VERSION).put(tag).array();
    } finally {
      key.destroy();
    }
  }

  /** Whether {@code stored} equals {@code expected}, compared in constant time. */
  static boolean matches(byte[] expected, byte[] stored) {
    return stored != null && MessageDigest.isEqual(expected, stored);
  }

  static byte[] message(long generation, CmkRow row) {
    byte[] id = row.id().getBytes(StandardCharsets.UTF_8);
    byte[] description = row.description().getBytes(StandardCharsets.UTF_8);
    byte[] state = row.state().name().getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(1 + 8 + 2 + id.length + 4 + description.length + 2 + state.length + 8 + 1 + 8)
        .put(VERSION).putLong(generation)
        .putShort((short) id.length).put(id)
        .putInt(description.length).put(description)
        .putShort((short) state.length).put(state)
        .putLong(row.createdAt().toEpochMilli())
        .put((byte) (row.deletionDate() == null ? 0 : 1))
        .putLong(row.deletionDate() == null ? 0 : row.deletionDate().toEpochMilli())
        .array();
  }
}
