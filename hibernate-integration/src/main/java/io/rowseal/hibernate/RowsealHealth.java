package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.KeyHealth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Whether rowseal can encrypt and decrypt in one session factory, for a health endpoint (Spring Boot
 * Actuator, a Kubernetes probe, a load balancer's check): is the key backend reachable, is the CMK enabled,
 * is the ACTIVE branch key cached and until when.
 *
 * <ul>
 *   <li>{@link Status#UP}: the KMS answers and the CMK is enabled.
 *   <li>{@link Status#DEGRADED}: the KMS does not answer, but the cached branch key keeps reads and writes
 *       working until {@code branchKeyCachedUntil}; restore the KMS before then.
 *   <li>{@link Status#DOWN}: writes fail: the KMS does not answer and no branch key is cached, or the CMK is
 *       disabled, pending deletion, destroyed or missing.
 * </ul>
 *
 * <p>{@link #check()} sends the KMS one {@code describe} request at most once per probe interval (30 s by
 * default, {@link io.rowseal.envelope.EnvelopeBuilder#healthProbeInterval}), waits at most the probe timeout
 * (5 s by default) and answers from the last probe in between, so polling it every second costs a paid KMS
 * nothing more. Details name the backend, CMK id, branch key and version, cache expiry and error codes — never
 * key bytes. docs/OBSERVABILITY.md lists them and what an operator does in each state. Thread-safe.
 */
public final class RowsealHealth {
  /** What the application can do; see the class comment. */
  public enum Status { UP, DEGRADED, DOWN }

  /**
   * One health check.
   *
   * @param status UP, DEGRADED or DOWN
   * @param details {@code reason}, {@code backend}, {@code cmkId}, {@code cmkState}, {@code branchKeyId},
   *     {@code branchKeyVersion}, {@code branchKeyCachedUntil} (ISO-8601), {@code kmsProbedAt},
   *     {@code kmsProbeInterval}, {@code error} (the probe's RS code), {@code lastKmsError} (code, operation
   *     and time of the last failed KMS request); a key is absent when it has no value
   */
  public record Report(Status status, Map<String, Object> details) {
    public Report {
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  private final Envelope envelope;

  private RowsealHealth(Envelope envelope) {
    this.envelope = envelope;
  }

  /**
   * The health of rowseal in {@code sessionFactory}.
   *
   * @throws IllegalArgumentException if rowseal did not start in it (it maps no {@code @Encrypted} attribute)
   */
  public static RowsealHealth of(SessionFactory sessionFactory) {
    StartedFactory started = StartedFactory.of(sessionFactory.unwrap(SessionFactoryImplementor.class));
    if (started == null) {
      throw new IllegalArgumentException("rowseal is not active in session factory " + sessionFactory
          + ": it maps no @Encrypted attribute");
    }
    return new RowsealHealth(started.rowWrites().envelope());
  }

  /** Checks now (the KMS at most once per probe interval). */
  public Report check() {
    KeyHealth h = envelope.keyHealth();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", h.reason());
    details.put("backend", h.backend());
    put(details, "cmkId", h.cmkId());
    put(details, "cmkState", h.cmkState());
    if (h.activeBranchKey() != null) {
      details.put("branchKeyId", h.activeBranchKey().keyId());
      details.put("branchKeyVersion", h.activeBranchKey().version());
    }
    put(details, "branchKeyCachedUntil", h.branchKeyCachedUntil());
    put(details, "kmsProbedAt", h.probedAt());
    details.put("kmsProbeInterval", h.probeInterval().toString());
    put(details, "error", h.probeError());
    if (h.lastKmsFailure() != null) {
      details.put("lastKmsError", (h.lastKmsFailure().code() == null ? "" : h.lastKmsFailure().code() + " ")
          + h.lastKmsFailure().operation().tag() + " at " + h.lastKmsFailure().at());
    }
    return new Report(Status.valueOf(h.status().name()), details);
  }

  private static void put(Map<String, Object> details, String key, Object value) {
    if (value != null) {
      details.put(key, value.toString());
    }
  }

  @Override
  public String toString() {
    return "RowsealHealth(" + envelope + ")";
  }
}
