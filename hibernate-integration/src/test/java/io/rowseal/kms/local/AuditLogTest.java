package io.rowseal.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Audit events through the real SLF4J binding of the tests (slf4j-simple, which writes to the
 * current {@code System.err}): one line per request with operation, CMK id, context and outcome, and
 * never a byte of key material, in any common encoding.
 */
class AuditLogTest {

  @Test
  void everyOperation_emitsAuditLineWithContextAndOutcome_neverKeyBytes() throws Exception {
    List<byte[]> secrets = new ArrayList<>();
    String log;
    String id;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try (HikariDataSource ds = TestDatabase.H2.dataSource()) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try (LocalKms kms = LocalKmsTesting.builder(ds, LocalKmsTesting.emptyKeyStore(), "rowseal_kms_",
          java.time.Clock.systemUTC()).quota(9).ticker(() -> 0L).build()) {
        // A frozen ticker: exactly 9 requests pass, the 10th is throttled.
        EncryptionContext ctx = EncryptionContext.of(Map.of("tenant", "acme", "note", "line\nbreak \"q\" {}"));
        id = kms.createKey("audited").cmkId();
        DataKey dk = kms.generateDataKey(id, ctx);
        secrets.add(dk.plaintext().copyBytes());
        secrets.add(dk.wrapped());
        KeyMaterial own = KeyMaterial.random256Of(RandomSource.secure());
        secrets.add(own.copyBytes());
        byte[] wrapped = kms.wrap(id, own, ctx);
        secrets.add(wrapped);
        secrets.add(kms.unwrap(id, wrapped, ctx).copyBytes());
        assertThatThrownBy(() -> kms.unwrap(id, wrapped, EncryptionContext.empty()))
            .isInstanceOf(IntegrityException.class);
        kms.rotateKey(id);
        kms.disableKey(id);
        assertThatThrownBy(() -> kms.wrap(id, own, ctx)).isInstanceOf(KmsException.InvalidKeyState.class);
        assertThatThrownBy(() -> kms.describe("cmk-missing")).isInstanceOf(KmsException.KeyNotFound.class);
        assertThatThrownBy(() -> kms.describe(id)).isInstanceOf(KmsException.Throttled.class);
        kms.rotateDomainKey();
        secrets.addAll(column(ds, "SELECT ekt FROM rowseal_kms_ekt"));
        secrets.addAll(column(ds, "SELECT edt FROM rowseal_kms_domain_token"));
      } finally {
        System.setErr(original);
      }
    }
    log = err.toString(StandardCharsets.UTF_8);

    String q = "\"" + id + "\"";
    assertThat(log).contains(
        "rowseal.audit - kms operation=CreateKey cmkId=" + q + " context={} outcome=ok",
        "rowseal.audit - kms operation=GenerateDataKey cmkId=" + q
            + " context={\"note\"=\"line\\u000abreak \\\"q\\\" {}\", \"tenant\"=\"acme\"} outcome=ok",
        "kms operation=Wrap cmkId=" + q,
        "kms operation=Unwrap cmkId=" + q + " context={} outcome=integrity-failure",
        "kms operation=RotateKey cmkId=" + q + " context={} outcome=ok",
        "kms operation=DisableKey cmkId=" + q + " context={} outcome=ok",
        "outcome=invalid-state:DISABLED",
        "kms operation=DescribeKey cmkId=\"cmk-missing\" context={} outcome=not-found",
        "kms operation=DescribeKey cmkId=" + q + " context={} outcome=throttled",
        "kms operation=RotateDomainKey generation=2 outcome=ok");
    List<String> leaks = new ArrayList<>();
    for (byte[] secret : secrets) {
      for (String form : List.of(HexFormat.of().formatHex(secret), HexFormat.of().withUpperCase().formatHex(secret),
          Base64.getEncoder().encodeToString(secret), Base64.getUrlEncoder().withoutPadding().encodeToString(secret))) {
        // Any 16-byte window of the secret is enough to count as a leak.
        String window = form.substring(0, Math.min(form.length(), 22));
        if (log.contains(window)) {
          leaks.add(window);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<byte[]> column(HikariDataSource ds, String sql) throws SQLException {
    List<byte[]> values = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getBytes(1));
      }
    }
    return values;
  }
}
