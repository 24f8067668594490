package io.rowseal.hibernate;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transition reads: legacy plaintext in an encrypted column (a row the application held before rowseal
 * was attached) is read as the column's plaintext only where the user says so
 * ({@link RowsealSettings#TRANSITION_READ_PLAINTEXT}), or in a session rowseal's own migration opened.
 * Anywhere else such a value is an integrity failure: someone who can write the database could plant
 * one. Counted per entity, logged once per entity (never per row, never the value). One per session
 * factory; thread-safe.
 */
final class LegacyPlaintext {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyPlaintext.class);

  private final boolean enabled;
  private final Map<String, LongAdder> reads = new ConcurrentHashMap<>();
  private final Set<Object> sessions = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  LegacyPlaintext(boolean enabled) {
    this.enabled = enabled;
  }

  /** The transition reads of {@code factory}, or {@code null} if it encrypts nothing. */
  static LegacyPlaintext of(org.hibernate.engine.spi.SessionFactoryImplementor factory) {
    StartedFactory started = StartedFactory.of(factory);
    return started == null ? null : started.legacy();
  }

  /** Whether {@code session} may read legacy plaintext. */
  boolean readable(Object session) {
    return enabled || !sessions.isEmpty() && sessions.contains(session);
  }

  /** Lets one session (a migration's) read legacy plaintext, whatever the setting says. */
  void allow(Object session) {
    sessions.add(session);
  }

  /** Counts one legacy value read of {@code attribute}; the first of each entity is logged. */
  void read(EncryptedAttribute attribute) {
    reads.computeIfAbsent(attribute.entityName(), entity -> {
      LOG.warn("rowseal: read legacy plaintext from the encrypted column of {} (entity {}): its rows are "
          + "encrypted on their next write, or by the migration job (docs/MIGRATION.md); counted, logged "
          + "once per entity", attribute, entity);
      return new LongAdder();
    }).increment();
  }

  /** Legacy values of {@code entity} read so far. */
  long reads(String entity) {
    LongAdder n = reads.get(entity);
    return n == null ? 0 : n.sum();
  }

  /** Legacy values read so far, per entity name. */
  Map<String, Long> reads() {
    Map<String, Long> out = new java.util.TreeMap<>();
    reads.forEach((entity, n) -> out.put(entity, n.sum()));
    return out;
  }
}
