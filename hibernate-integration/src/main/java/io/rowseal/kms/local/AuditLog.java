package io.rowseal.kms.local;

import io.rowseal.audit.Audit;
import io.rowseal.kms.EncryptionContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events of LocalKms, one per request and per domain event, at INFO on the logger
 * {@code rowseal.audit} — the model of a CloudTrail record. Each event is one logfmt line with the
 * operation, the CMK id, the encryption context (non-secret by definition, as in AWS KMS) and the
 * outcome; the format is API:
 * <pre>kms operation=Wrap cmkId="cmk-…" context={"tenant"="acme"} outcome=ok</pre>
 * Values are quoted and escaped and the line is passed to SLF4J whole, never as a pattern, so a
 * context value can neither forge a line nor fill a placeholder. Events never carry key
 * material, wrapped blobs or plaintext: this class is only ever given ids, context and outcomes.
 * Each event also reaches the {@link io.rowseal.audit.AuditListener}s ({@link Audit#KMS_REQUEST},
 * {@link Audit#KMS_DOMAIN_EVENT}); the line itself carries no SLF4J key-value pairs, which some backends
 * (slf4j-simple) print before the message and would change this line's format.
 */
final class AuditLog {
  static final String LOGGER_NAME = Audit.LOGGER_NAME;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private AuditLog() {}

  /** One CMK request and its outcome ({@code ok}, {@code throttled}, {@code invalid-state:DISABLED}…). */
  static void request(String operation, String cmkId, EncryptionContext context, String outcome) {
    if (LOG.isInfoEnabled()) {
      Map<String, String> ctx = context == null ? Map.of() : context.asMap();
      LOG.info("kms operation=" + operation + " cmkId=" + quote(cmkId) + " context=" + render(ctx)
          + " outcome=" + outcome);
    }
    Audit.notifyListeners(Audit.KMS_REQUEST, "operation", operation, "cmkId", cmkId, "outcome", outcome);
  }

  /** A domain event (domain-key rotation, key destruction): no caller, no context. */
  static void domainEvent(String operation, String detail, String outcome) {
    if (LOG.isInfoEnabled()) {
      LOG.info("kms operation=" + operation + " " + detail + " outcome=" + outcome);
    }
    Audit.notifyListeners(Audit.KMS_DOMAIN_EVENT, "operation", operation, "detail", detail, "outcome", outcome);
  }

  static String quote(String s) {
    if (s == null) {
      return "-";
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

  private static String render(Map<String, String> context) {
    StringBuilder b = new StringBuilder("{");
    context.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(quote(k)).append('=').append(quote(v)));
    return b.append('}').toString();
  }
}
