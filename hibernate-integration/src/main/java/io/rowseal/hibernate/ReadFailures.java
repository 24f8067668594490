package io.rowseal.hibernate;

import io.rowseal.audit.Audit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrity failures seen on read, counted per encrypted attribute ({@code RS-4201}) and per signed
 * entity ({@code RS-4204}, {@code RS-4205}), each also an {@link Audit#INTEGRITY_FAILURE} event naming
 * code, entity, attribute and row id, never the value. A destroyed key ({@code RS-4202}) is not a failure:
 * it is what crypto-shredding is for. A counter is made the first time it counts, and {@link Listener}s
 * hear of it then (a metrics registry binds it). One per session factory; thread-safe.
 */
final class ReadFailures {
  private static final Logger LOG = LoggerFactory.getLogger(ReadFailures.class);

  /** An encrypted attribute: its entity and path. */
  record Attribute(String entity, String path) {}

  /** Told of each counter when it first counts, before it counts; must not throw. */
  interface Listener {
    void valueCounter(Attribute attribute, LongSupplier count);

    void rowCounter(String entity, LongSupplier count);
  }

  private final ConcurrentMap<Attribute, LongAdder> values = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> rows = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Counts and audits {@code e} if it is an integrity failure; returns it for the caller to throw. */
  EncryptedReadException seen(EncryptedReadException e) {
    String code = e.code();
    String path = e.attribute() == null ? null : e.attribute().substring(e.entity().length() + 1);
    if ("RS-4201".equals(code) && path != null) {
      Attribute a = new Attribute(e.entity(), path);
      counter(values, a, n -> tell(l -> l.valueCounter(a, n::sum))).increment();
    } else if ("RS-4204".equals(code) || "RS-4205".equals(code)) {
      counter(rows, e.entity(), n -> tell(l -> l.rowCounter(e.entity(), n::sum))).increment();
    } else {
      return e;
    }
    Audit.emit(Audit.INTEGRITY_FAILURE, "code", code, "entity", e.entity(), "attribute", path, "rowId", e.rowId());
    return e;
  }

  /** Values of {@code entity.path} that did not verify. */
  long values(String entity, String path) {
    LongAdder n = values.get(new Attribute(entity, path));
    return n == null ? 0 : n.sum();
  }

  /** Rows of {@code entity} whose signature did not verify or was missing. */
  long rows(String entity) {
    LongAdder n = rows.get(entity);
    return n == null ? 0 : n.sum();
  }

  /** The attributes that have counted a failure so far. */
  java.util.Set<Attribute> failedAttributes() {
    return Map.copyOf(values).keySet();
  }

  /** The entities that have counted a row failure so far. */
  java.util.Set<String> failedEntities() {
    return Map.copyOf(rows).keySet();
  }

  /** Adds {@code listener}; returns what removes it. */
  Runnable listen(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void tell(java.util.function.Consumer<Listener> event) {
    for (Listener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException ex) {
        // a metrics registry failing must not hide the integrity failure being thrown
        LOG.warn("rowseal: a metrics listener failed on a new counter; ignored", ex);
      }
    }
  }

  /** The counter of {@code key}, made (and announced through {@code created}) on its first use. */
  private static <K> LongAdder counter(ConcurrentMap<K, LongAdder> map, K key,
      java.util.function.Consumer<LongAdder> created) {
    LongAdder n = map.get(key);
    if (n == null) {
      LongAdder fresh = new LongAdder();
      n = map.putIfAbsent(key, fresh);
      if (n == null) {
        n = fresh;
        created.accept(fresh);
      }
    }
    return n;
  }
}
