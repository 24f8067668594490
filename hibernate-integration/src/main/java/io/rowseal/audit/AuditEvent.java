package io.rowseal.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One audit event: what happened ({@link #type}, e.g. {@code branch-key-rotated}), when, and its
 * attributes in a fixed order (key id, version, CMK id, entity, attribute, row id, error code). The
 * attributes name keys and rows, never key bytes, wrapped keys, ciphertext or plaintext. Immutable.
 *
 * @param type the event type, one of the constants of {@link Audit}
 * @param time when it was emitted
 * @param attributes its key-value pairs, in the order they were given
 */
public record AuditEvent(String type, Instant time, Map<String, String> attributes) {
  public AuditEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** The attribute {@code key}, or {@code null}. */
  public String get(String key) {
    return attributes.get(key);
  }
}
