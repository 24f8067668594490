package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.BranchKeyRef;
import java.util.HashMap;
import java.util.Map;

/**
 * Which branch-key versions a {@link RowMigration} moves rows off: every version but the active one
 * (the default), versions below a given one, versions wrapped under a given CMK, or none (then it only
 * encrypts legacy plaintext and signs unsigned rows). Versions are compared within the active
 * branch-key id only: a value under another key id (a tenant's, {@code <id>.<tenant>}) is left as it is,
 * so the job never moves a tenant's rows under the shared key. One per run; not thread-safe (it caches
 * the CMK of each version it looked up).
 */
final class Rekey {
  enum Kind { NOT_ACTIVE, BELOW_VERSION, UNDER_CMK, NONE }

  final Kind kind;
  final int version;
  final String cmkId;
  private final Map<BranchKeyRef, Boolean> underCmk = new HashMap<>();

  Rekey(Kind kind, int version, String cmkId) {
    this.kind = kind;
    this.version = version;
    this.cmkId = cmkId;
  }

  static Rekey notActive() {
    return new Rekey(Kind.NOT_ACTIVE, 0, null);
  }

  /** A fresh copy (the CMK cache belongs to one run). */
  Rekey copy() {
    return new Rekey(kind, version, cmkId);
  }

  /**
   * Whether a value or footer under {@code ref} is to be rewritten, {@code active} being the active
   * version. Never one under the active version itself: rewriting it would put it back under that version.
   */
  boolean old(BranchKeyRef ref, BranchKeyRef active, Envelope envelope) {
    if (!ref.keyId().equals(active.keyId()) || ref.equals(active)) {
      return false;
    }
    switch (kind) {
      case NONE:
        return false;
      case NOT_ACTIVE:
        return !ref.equals(active);
      case BELOW_VERSION:
        return ref.version() < version;
      default:
        return underCmk.computeIfAbsent(ref,
            r -> envelope.cmkIdOf(r).map(cmkId::equals).orElse(false));
    }
  }

  /**
   * Refuses ({@code RS-4507}) to move rows off CMK {@link #cmkId} while it wraps the active version
   * {@code active} itself: every row rewritten would land under that CMK again, and the job would
   * report success with nothing moved.
   */
  void checkReachable(BranchKeyRef active, Envelope envelope, String entity) {
    if (kind == Kind.UNDER_CMK && envelope.cmkIdOf(active).map(cmkId::equals).orElse(false)) {
      throw new MigrationException("RS-4507", "cannot move the rows of " + entity + " off CMK " + cmkId
          + ": it wraps the active branch-key version " + active + ", so every row rewritten would stay under it."
          + " Make new versions wrap under the new CMK (rowseal.cmk-id, or EnvelopeBuilder.cmkId) and rotate the"
          + " branch key (Envelope.rotateBranchKey) first, then run the job");
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case NOT_ACTIVE:
        return "every branch-key version but the active one";
      case BELOW_VERSION:
        return "branch-key versions below " + version;
      case UNDER_CMK:
        return "branch-key versions under CMK " + cmkId;
      default:
        return "none";
    }
  }
}
