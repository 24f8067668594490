package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.KmsTables.EdtRow;
import io.rowseal.kms.local.KmsTables.EktRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Domain-key rotation: a new DK generation, shared as a new EDT, then every EKT re-sealed and every CMK
 * row re-MACed under it.
 *
 * <p>Order, so that a rotation killed at any point loses nothing and resumes: (1) one HSM makes DK
 * {@code g+1} and its EDT, the others load it; (2) the EDT is stored, and {@code g+1} becomes current
 * (new CMK versions and state changes use it); (3) CMK by CMK, each EKT still sealed under an older
 * generation is re-sealed, then the CMK row's {@link CmkStateMac} is re-made, each stored in its own
 * transaction with the generation it now needs; (4) only when no EKT and no CMK row needs them are the
 * older EDTs deleted and their DKs zeroed. Until (4), the HSMs hold every generation some row still
 * names, in memory and as stored EDTs, so every stored EKT opens and every MAC verifies; a restart
 * loads them all and runs (3)–(4) again.
 *
 * <p>Processes sharing the tables: each step is a guarded write ({@link KmsTables}), so only one process
 * stores generation {@code g+1}; one that finds the tables moved on reloads its image and decides again
 * ({@link KeyRing#mutating}) — a due rotation another process has just made is then no longer due. The
 * re-sealing starts from a reload, so EKTs another process stored under {@code g} are re-sealed too, and
 * (4) deletes an EDT only when, under the domain lock, no stored row needs it.
 */
final class DomainKeyRotation {
  /** Called after each EKT is re-sealed and stored: the fault-injection point of tests. */
  @FunctionalInterface
  interface Hook {
    void afterReseal(EktRow resealed);
  }

  /** Passes of one finishing that may each lose a row to another process finishing the same rotation. */
  private static final int MAX_PASSES = 100;
  private final KeyRing ring;
  private final Duration period;
  private final Hook hook;

  DomainKeyRotation(KeyRing ring, Duration period, Hook hook) {
    this.ring = ring;
    this.period = period;
    this.hook = hook;
  }

  /** Rotates now; returns the new generation. An unfinished earlier rotation is finished first. */
  long rotate() {
    return KeyRing.locked(ring.lock.writeLock(), () -> {
      finishPendingMutating();
      return rotateLocked(ring.mutating("rotate domain key", this::storeNext));
    });
  }

  /**
   * Rotates when the current DK is older than the rotation period; true if it did. Decided on the tables:
   * when another process rotated first, its generation is the current one here too, and not due.
   */
  boolean rotateIfDue() {
    return rotateIf(() -> !ring.now().isBefore(ring.generationCreatedAt().plus(period)));
  }

  /**
   * Rotates when the current EDT was issued by a rowseal that did not MAC CMK rows (at start); true if it
   * did. When several processes start together on such a domain, the first one's rotation ends it for all.
   */
  boolean rotateIfLegacy() {
    return rotateIf(ring::legacyDomain);
  }

  private boolean rotateIf(java.util.function.BooleanSupplier due) {
    return KeyRing.locked(ring.lock.writeLock(), () -> {
      finishPendingMutating();
      Long next = ring.mutating("rotate domain key", () -> due.getAsBoolean() ? storeNext() : null);
      if (next == null) {
        return false;
      }
      rotateLocked(next);
      return true;
    });
  }

  /** Re-seals the EKTs an interrupted rotation left under older generations (at start). */
  void finishPending() {
    KeyRing.locked(ring.lock.writeLock(), () -> {
      finishPendingMutating();
      return null;
    });
  }

  private void finishPendingMutating() {
    ring.mutating("finish domain-key rotation", () -> {
      finishPendingLocked();
      return null;
    });
  }

  /** Steps (1) and (2): the next generation made and stored; {@link KmsTables.Stale} if another process was first. */
  private long storeNext() {
    long next = ring.generation() + 1;
    Instant now = ring.now();
    byte[] edt = ring.domain.issue(next, now);
    try {
      ring.tables.insertDomainToken(new EdtRow(next, edt, now));
    } catch (RuntimeException e) {
      ring.domain.forget(next);
      if (!(e instanceof KmsTables.Stale)) {
        AuditLog.domainEvent("RotateDomainKey", "generation=" + next, "error:" + e.getClass().getSimpleName());
      }
      throw e;
    }
    ring.setGeneration(next, now, ring.domain.tokenVersion());
    return next;
  }

  /** Steps (3) and (4) after generation {@code next} was stored. */
  private long rotateLocked(long next) {
    try {
      finishPendingMutating();
    } catch (RuntimeException e) {
      AuditLog.domainEvent("RotateDomainKey", "generation=" + next, "interrupted:" + e.getClass().getSimpleName());
      throw e;
    }
    AuditLog.domainEvent("RotateDomainKey", "generation=" + next, "ok");
    return next;
  }

  private void finishPendingLocked() {
    // From the tables, not the image: EKTs and CMKs another process stored are re-sealed too.
    ring.reload();
    long current = ring.generation();
    int[] counts = new int[2];
    for (int pass = 1; ; pass++) {
      try {
        finishPass(current, counts);
        break;
      } catch (KmsTables.Stale stale) {
        // Another process re-sealed or re-MACed a row first, or stored a newer generation: each loss is its
        // progress, so go on from the tables, towards their newest generation.
        if (pass == MAX_PASSES) {
          throw stale;
        }
        ring.reload();
        current = ring.generation();
      }
    }
    if (counts[0] > 0) {
      AuditLog.domainEvent("ResealKeyTokens", "generation=" + current + " count=" + counts[0], "ok");
    }
    if (counts[1] > 0) {
      AuditLog.domainEvent("RemacKeyStates", "generation=" + current + " count=" + counts[1], "ok");
    }
    ring.domain.forgetBefore(current);
  }

  /** Re-seals and re-MACs what the image holds under older generations, then deletes their EDTs. */
  private void finishPass(long current, int[] counts) {
    List<KmsException> failures = new ArrayList<>();
    for (CmkEntry cmk : List.copyOf(ring.cmks.values())) {
      for (EktRow row : cmk.versions()) {
        if (row.dkGeneration() >= current) {
          continue;
        }
        KeyToken.Binding binding = cmk.binding(row.version());
        byte[] ekt;
        try {
          ekt = ring.domain.pick().resealKeyToken(row.ekt(), binding, current);
        } catch (IntegrityException e) {
          // Keep going: the other EKTs move on; this one keeps its generation, and so its EDT stays.
          failures.add(KeyRing.corruptToken(binding, e));
          continue;
        }
        EktRow updated = new EktRow(row.cmkId(), row.version(), current, ekt, row.createdAt());
        ring.tables.resealEkt(updated, row.dkGeneration());
        ring.cmks.put(cmk.id(), ring.cmks.get(cmk.id()).withResealed(updated));
        counts[0]++;
        hook.afterReseal(updated);
      }
      CmkEntry latest = ring.cmks.get(cmk.id());
      if (latest.macGeneration() < current) {
        ring.tables.remac(cmk.id(), ring.stateMac(latest.row(), current), latest.macGeneration());
        ring.cmks.put(cmk.id(), latest.withMacGeneration(current));
        counts[1]++;
      }
    }
    if (!failures.isEmpty()) {
      KmsException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    ring.tables.deleteDomainTokensBefore(current);
  }
}
