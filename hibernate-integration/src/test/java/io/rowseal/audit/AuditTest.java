package io.rowseal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.Stderr;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AuditTest {

  @Test
  void emit_logsKeyValuePairsAndLogfmtMessage_andHandsTheEventToListeners() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    String log;
    try (Audit.Registration r = Audit.register(events::add)) {
      log = Stderr.of(() -> Audit.emit(Audit.BRANCH_KEY_DESTROYED, "keyId", "tenant-7", "version", "3",
          "cmkId", null));
    }

    assertThat(log).contains("INFO rowseal.audit - event=branch-key-destroyed keyId=tenant-7 version=3 "
        + "rowseal event=branch-key-destroyed keyId=tenant-7 version=3");
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("branch-key-destroyed");
      assertThat(e.attributes()).containsExactly(java.util.Map.entry("keyId", "tenant-7"),
          java.util.Map.entry("version", "3"));
    });
  }

  @Test
  void emit_valueWithLineBreakAndQuotes_cannotForgeALine_listenerGetsItVerbatim() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    String log;
    String rowId = "7\nWARN rowseal.audit - event=forged \"x\"";
    try (Audit.Registration r = Audit.register(events::add)) {
      log = Stderr.of(() -> Audit.emit(Audit.INTEGRITY_FAILURE, "code", "RS-4201", "rowId", rowId));
    }

    assertThat(log.strip().lines()).hasSize(1);
    assertThat(log).contains("rowId=\"7\\u000aWARN rowseal.audit - event=forged \\\"x\\\"\"");
    assertThat(events).singleElement().satisfies(e -> assertThat(e.get("rowId")).isEqualTo(rowId));
  }

  @Test
  void listenerThatThrows_isLoggedAndDoesNotStopTheOthers() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    String log;
    try (Audit.Registration failing = Audit.register(e -> {
          throw new IllegalStateException("listener down");
        });
        Audit.Registration r = Audit.register(events::add)) {
      log = Stderr.of(() -> Audit.emit(Audit.BRANCH_KEY_CREATED, "keyId", "k", "version", "1"));
    }

    assertThat(events).hasSize(1);
    assertThat(log).contains("audit listener", "failed on event branch-key-created");
  }
}
