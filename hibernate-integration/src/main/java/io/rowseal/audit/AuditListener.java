package io.rowseal.audit;

/**
 * Receives rowseal's audit events, in addition to the {@code rowseal.audit} logger: how an application
 * forwards them to its own audit trail (Spring Boot's {@code AuditEventRepository}, a SIEM). Register with
 * {@link Audit#register}. Called synchronously on the thread that caused the event, so it must be quick
 * and thread-safe; an exception it throws is logged and otherwise ignored (an audit listener never fails
 * a read or a write).
 */
@FunctionalInterface
public interface AuditListener {
  void onEvent(AuditEvent event);
}
