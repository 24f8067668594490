package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.kms.KmsException;
import io.rowseal.testing.SoftHsm;
import io.rowseal.testing.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code rowseal.kms=pkcs11}: a session factory whose branch keys a SoftHSM2 token wraps, with the default
 * JDBC branch-key store on H2; a restarted factory reads the rows back through an unwrap in the token.
 */
class Pkcs11BootTest {

  @Test
  void boot_kmsPkcs11_rowsRoundTripThroughTheToken() {
    SoftHsm.Token token = SoftHsm.token(SoftHsm.MAIN);
    Map<String, Object> settings = settings(token);
    settings.put("hibernate.hbm2ddl.auto", "create");
    try (Jpa jpa = Jpa.start(TestDatabase.H2, settings, Account.class)) {
      jpa.inTransaction(s -> {
        for (long i = 1; i <= 20; i++) {
          s.persist(new Account(i));
        }
      });
      String cmk = (String) jpa.raw("select cmk_id from rowseal_branch_keys").get(0).get("cmk_id");
      List<Map<String, Object>> stored = jpa.raw("select email from " + jpa.table("account") + " where id = 7");

      // restarted: a new envelope whose branch key comes from the key store, unwrapped in the token
      settings.put("hibernate.hbm2ddl.auto", "none");
      settings.put(RowsealSettings.CMK_ID, cmk);
      jpa.boot(settings, Account.class);
      Account read = jpa.fromTransaction(s -> s.find(Account.class, 7L));

      assertThat(read).isEqualTo(new Account(7));
      assertThat(cmk).startsWith("rowseal-");
      assertThat((byte[]) stored.get(0).get("email")).asString().doesNotContain("user7@example.org");
      SoftHsm.requirePkcs11Tool();
      assertThat(SoftHsm.pkcs11Tool(token, "--list-objects", "--type", "secrkey")).contains("label:      " + cmk);
    }
  }

  @Test
  void boot_wrongPin_failsWithRs2034WithoutThePin() {
    SoftHsm.Token spare = SoftHsm.token(SoftHsm.SPARE);
    Map<String, Object> settings = settings(spare);
    // a variable that is set, but not to the PIN
    settings.put("rowseal.kms.pkcs11.pin-env", "SOFTHSM2_CONF");

    KmsException e = bootFails(settings);

    assertThat(e.code()).isEqualTo("RS-2034");
    assertThat(e).hasMessageContaining("CKR_PIN_INCORRECT").hasMessageContaining("SOFTHSM2_CONF")
        .hasMessageNotContaining(System.getenv("SOFTHSM2_CONF"));
  }

  @Test
  void boot_pinVariableUnset_failsWithRs2033NamingIt() {
    Map<String, Object> settings = settings(SoftHsm.token(SoftHsm.MAIN));
    settings.put("rowseal.kms.pkcs11.pin-env", "ROWSEAL_TEST_UNSET_PIN_VARIABLE");

    KmsException e = bootFails(settings);

    assertThat(e.code()).isEqualTo("RS-2033");
    assertThat(e).hasMessageContaining("ROWSEAL_TEST_UNSET_PIN_VARIABLE");
  }

  private static KmsException bootFails(Map<String, Object> settings) {
    Throwable thrown = catchThrowable(() -> Jpa.start(TestDatabase.H2, settings, Account.class).close());
    return Causes.find(thrown, KmsException.class);
  }

  private static Map<String, Object> settings(SoftHsm.Token token) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(RowsealSettings.ENVELOPE, "");
    settings.put(RowsealSettings.KMS, "pkcs11");
    settings.put("rowseal.kms.pkcs11.library", SoftHsm.library());
    settings.put("rowseal.kms.pkcs11.slot", Long.toString(token.slot()));
    settings.put("rowseal.kms.pkcs11.pin-env", SoftHsm.PIN_ENV);
    return settings;
  }
}
