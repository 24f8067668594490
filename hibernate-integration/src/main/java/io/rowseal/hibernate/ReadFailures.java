package io.rowseal.hibernate;

import io.rowseal.audit.Audit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Integrity failures seen on read, counted per encrypted attribute ({@code RS-4201}) and per signed
 * entity ({@code RS-4204}, {@code RS-4205}), each also an {@link Audit#INTEGRITY_FAILURE} event naming
 * code, entity, attribute and row id, never the value. A destroyed key ({@code RS-4202}) is not a failure:
 * it is what crypto-shredding is for. One per session factory; thread-safe.
 */
final class ReadFailures {
  private final ConcurrentMap<String, LongAdder> values = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> rows = new ConcurrentHashMap<>();

  /** Counts and audits {@code e} if it is an integrity failure; returns it for the caller to throw. */
  EncryptedReadException seen(EncryptedReadException e) {
    String code = e.code();
    String path = e.attribute() == null ? null : e.attribute().substring(e.entity().length() + 1);
    if ("RS-4201".equals(code) && path != null) {
      counter(values, key(e.entity(), path)).increment();
    } else if ("RS-4204".equals(code) || "RS-4205".equals(code)) {
      counter(rows, e.entity()).increment();
    } else {
      return e;
    }
    Audit.emit(Audit.INTEGRITY_FAILURE, "code", code, "entity", e.entity(), "attribute", path, "rowId", e.rowId());
    return e;
  }

  /** Values of {@code entity.path} that did not verify. */
  long values(String entity, String path) {
    LongAdder n = values.get(key(entity, path));
    return n == null ? 0 : n.sum();
  }

  /** Rows of {@code entity} whose signature did not verify or was missing. */
  long rows(String entity) {
    LongAdder n = rows.get(entity);
    return n == null ? 0 : n.sum();
  }

  private static LongAdder counter(ConcurrentMap<String, LongAdder> map, String key) {
    return map.computeIfAbsent(key, k -> new LongAdder());
  }

  private static String key(String entity, String path) {
    return entity + '.' + path;
  }
}
