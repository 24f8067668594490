package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.IntegrityException;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Switching {@code rowseal.cmk-id} to another CMK (issue 15, finding 2, through the settings): rows under
 * the old CMK's branch-key versions read only while that CMK is listed in {@code rowseal.previous-cmk-ids}.
 */
class CmkSwitchTest {
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final InMemoryBranchKeyStore keys = new InMemoryBranchKeyStore();
  private final String oldCmk = kms.createKey("old").cmkId();
  private final String newCmk = kms.createKey("new").cmkId();

  @Test
  void cmkSwitched_oldRowsReadOnlyWithThePreviousCmkListed() {
    try (Jpa jpa = Jpa.prepare(TestDatabase.H2)) {
      Map<String, Object> first = new HashMap<>(settings(oldCmk, null));
      first.put("hibernate.hbm2ddl.auto", "create"); // kept when this factory closes
      jpa.boot(first, Account.class);
      jpa.inTransaction(s -> s.persist(new Account(1)));
      Map<String, Object> created = new HashMap<>(settings(newCmk, null));
      created.put("hibernate.hbm2ddl.auto", "none");

      jpa.boot(created, Account.class);
      Throwable thrown = catchThrowable(() -> jpa.fromTransaction(s -> s.find(Account.class, 1L)));
      IntegrityException cause = Causes.find(thrown, IntegrityException.class);
      assertThat(cause).hasMessageStartingWith("RS-1006").hasMessageContaining(oldCmk)
          .hasMessageContaining("rowseal.previous-cmk-ids");

      created.put(RowsealSettings.PREVIOUS_CMK_IDS, " " + oldCmk + " , ");
      jpa.boot(created, Account.class);
      Account read = jpa.fromTransaction(s -> s.find(Account.class, 1L));
      assertThat(read).isNotNull();
    }
  }

  private Map<String, Object> settings(String cmkId, String previous) {
    Map<String, Object> s = new HashMap<>();
    s.put(RowsealSettings.ENVELOPE, null);
    s.put(RowsealSettings.KMS, kms);
    s.put(RowsealSettings.KEYSTORE, keys);
    s.put(RowsealSettings.CMK_ID, cmkId);
    s.put(RowsealSettings.PREVIOUS_CMK_IDS, previous);
    return s;
  }
}
