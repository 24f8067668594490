package io.rowseal.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * rowseal's audit trail: key creation, rotation and destruction (branch keys, blind-index keys
 * {@code <id>:index}, LocalKms CMKs) and integrity failures, each as one {@link AuditEvent}, logged on the
 * logger {@value #LOGGER_NAME} with SLF4J 2 key-value pairs ({@code event}, then the event's attributes)
 * and handed to every registered {@link AuditListener}. The log message repeats the pairs as one logfmt
 * line ({@code rowseal event=branch-key-rotated keyId=default version=2 cmkId=cmk-…}) for backends that
 * print messages only (logback's and log4j's default patterns; slf4j-simple prints the pairs and then the
 * message). Values are quoted and escaped where needed (control characters in the pairs as well) and the
 * line is never a pattern, so a name can neither forge a line nor fill a placeholder. Events carry ids, names and codes only: never key bytes,
 * wrapped keys, ciphertext or plaintext. Thread-safe.
 */
public final class Audit {
  /** The logger of every audit event (LocalKms's request lines included). */
  public static final String LOGGER_NAME = "rowseal.audit";

  /** A branch-key id got its first version ({@code keyId}, {@code version}, {@code cmkId}). */
  public static final String BRANCH_KEY_CREATED = "branch-key-created";
  /** A branch key got a new ACTIVE version ({@code keyId}, {@code version}, {@code cmkId}). */
  public static final String BRANCH_KEY_ROTATED = "branch-key-rotated";
  /** A branch-key version was destroyed, crypto-shredding the values under it ({@code keyId}, {@code version}). */
  public static final String BRANCH_KEY_DESTROYED = "branch-key-destroyed";
  /**
   * A stored value or a row did not verify on read ({@code code}, {@code entity}, {@code attribute} unless
   * the row as a whole failed, {@code rowId} when known).
   */
  public static final String INTEGRITY_FAILURE = "integrity-failure";
  /** A LocalKms request ({@code operation}, {@code cmkId}, {@code outcome}): CMK creation, rotation, deletion, use. */
  public static final String KMS_REQUEST = "kms-request";
  /** A LocalKms domain event, e.g. a domain-key rotation ({@code operation}, {@code detail}, {@code outcome}). */
  public static final String KMS_DOMAIN_EVENT = "kms-domain-event";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
  private static final CopyOnWriteArrayList<AuditListener> LISTENERS = new CopyOnWriteArrayList<>();

  private Audit() {}

  /** Adds {@code listener}; closing the returned registration removes it. */
  public static Registration register(AuditListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }

  /** A registered listener; {@link #close} unregisters it. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Emits one event at INFO ({@link #INTEGRITY_FAILURE}: WARN): {@code keyValues} are pairs of attribute
   * name and value; a {@code null} value is left out. For rowseal's own packages.
   */
  public static void emit(String type, String... keyValues) {
    Map<String, String> attributes = pairs(keyValues);
    Level level = INTEGRITY_FAILURE.equals(type) ? Level.WARN : Level.INFO;
    if (LOG.isEnabledForLevel(level)) {
      LoggingEventBuilder b = LOG.atLevel(level).addKeyValue("event", type);
      StringBuilder line = new StringBuilder("rowseal event=").append(type);
      attributes.forEach((k, v) -> {
        b.addKeyValue(k, escapeControls(v));
        line.append(' ').append(k).append('=').append(quote(v));
      });
      b.log(line.toString());
    }
    notify(new AuditEvent(type, Instant.now(), attributes));
  }

  /** Hands an event logged elsewhere on {@value #LOGGER_NAME} (LocalKms's lines) to the listeners only. */
  public static void notifyListeners(String type, String... keyValues) {
    if (!LISTENERS.isEmpty()) {
      notify(new AuditEvent(type, Instant.now(), pairs(keyValues)));
    }
  }

  private static void notify(AuditEvent event) {
    for (AuditListener l : LISTENERS) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("audit listener {} failed on event {}", l.getClass().getName(), event.type(), e);
      }
    }
  }

  private static Map<String, String> pairs(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key-value pairs expected, got " + keyValues.length + " strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        out.put(keyValues[i], keyValues[i + 1]);
      }
    }
    return out;
  }

  /** Control characters as {@code \\uXXXX}: a backend that prints pairs unquoted cannot be made to start a line. */
  private static String escapeControls(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        b.append(String.format("\\u%04x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /** {@code "…"} with quotes, backslashes and control characters escaped; bare when it is a plain token. */
  static String quote(String s) {
    if (s.matches("[A-Za-z0-9_.:#-]+")) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
