package io.rowseal.kms;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import java.time.Duration;

/**
 * The HSM's deliberately small API for customer main keys (CMKs), modelled on AWS KMS. Key material of
 * a CMK never leaves the provider; callers see only ids, metadata and wrapped blobs.
 *
 * <p>Wrapped blobs are self-describing: each names the CMK version that made it, so older blobs keep
 * unwrapping after the CMK is rotated. Every wrap binds an {@link EncryptionContext}; an unwrap with a
 * different context fails with {@link IntegrityException}.
 *
 * <p>Failures other than integrity are {@link KmsException}s: {@link KmsException.KeyNotFound},
 * {@link KmsException.InvalidKeyState} (disabled, pending deletion, destroyed),
 * {@link KmsException.Throttled} (retry with backoff), {@link KmsException.Unavailable}.
 * Implementations are thread-safe. This is an SPI: integrators implement it for their KMS.
 */
public interface CmkProvider {

  /** Creates a new, enabled CMK. */
  KeyMetadata createKey(String description);

  /** Returns a fresh random 256-bit key together with its wrap under {@code cmkId}. */
  DataKey generateDataKey(String cmkId, EncryptionContext context);

  /** Wraps {@code key} under the current version of {@code cmkId}. */
  byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context);

  /** Unwraps a blob made by {@link #wrap} or {@link #generateDataKey} under {@code cmkId}. */
  KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException;

  /** The CMK's metadata. */
  KeyMetadata describe(String cmkId);

  /**
   * Schedules the CMK's destruction after {@code waitingPeriod}; until then it refuses every
   * cryptographic operation. After destruction, everything wrapped under it is unreadable.
   */
  KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod);

  /**
   * Which kind of key backend this is, as {@code rowseal.kms} names it ({@code local}, {@code aws},
   * {@code pkcs11}, {@code in-memory}), for health reports and logs; a wrapper names its delegate's. By
   * default the class name.
   */
  default String backend() {
    return getClass().getName();
  }
}
