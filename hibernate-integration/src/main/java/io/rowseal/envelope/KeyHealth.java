package io.rowseal.envelope;

import io.rowseal.envelope.EnvelopeMetrics.KmsFailure;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.KeyState;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an {@link Envelope} can encrypt and decrypt, as {@link Envelope#keyHealth()} found it: is its KMS
 * reachable, is its CMK usable, is its ACTIVE branch key cached and until when. Names keys, never holds key
 * material. Immutable.
 *
 * @param status {@link Status#UP}, {@link Status#DEGRADED} or {@link Status#DOWN}
 * @param reason one sentence saying why, for an operator
 * @param backend the kind of KMS, as {@code rowseal.kms} names it ({@code local}, {@code aws}, {@code pkcs11},
 *     {@code in-memory}) or a custom provider's class name
 * @param cmkId the CMK new branch-key versions are wrapped under; {@code null} before the first one exists
 * @param cmkState the CMK's state as the last probe saw it; {@code null} if the probe did not reach the KMS
 * @param activeBranchKey the branch-key version new rows are written under; {@code null} before first use
 * @param branchKeyCachedUntil when the cached plaintext of {@code activeBranchKey} expires unless the KMS
 *     refreshes it; {@code null} if it is not cached
 * @param probedAt when the KMS was last probed; {@code null} if it was not (no CMK yet)
 * @param probeInterval how often the KMS is probed at most
 * @param probeError the stable code of the last probe's failure (e.g. {@code RS-2004}), {@code null} if it
 *     succeeded; a probe that failed without a code reports its exception's simple class name
 * @param lastKmsFailure the last KMS request of any kind that failed, if one did
 */
public record KeyHealth(Status status, String reason, String backend, String cmkId, KeyState cmkState,
    BranchKeyRef activeBranchKey, Instant branchKeyCachedUntil, Instant probedAt, Duration probeInterval,
    String probeError, KmsFailure lastKmsFailure) {

  /** What the application can do. */
  public enum Status {
    /** The KMS answers and the CMK is enabled: reads and writes work. */
    UP,
    /**
     * The KMS does not answer, but the cached ACTIVE branch key keeps reads and writes of recent rows working
     * until {@link #branchKeyCachedUntil}.
     */
    DEGRADED,
    /**
     * Writes fail: the KMS does not answer and no usable branch key is cached, or the CMK is disabled,
     * pending deletion, destroyed or missing.
     */
    DOWN
  }
}
