package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hibernate.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** rowseal.branch-key-per-tenant: each tenant's rows under a branch key of its own. */
class TenantKeysTest {
  static final Map<String, Object> PER_TENANT = Map.of(RowsealSettings.BRANCH_KEY_PER_TENANT, "true");
  static final String LONGEST = "t".repeat(32);

  /** Runs {@code work} in a transaction of a session for {@code tenant}. */
  static <T> T as(Jpa jpa, String tenant, Function<Session, T> work) {
    try (Session s = jpa.sessionFactory.withOptions().tenantIdentifier(tenant).openSession()) {
      var tx = s.beginTransaction();
      T result = work.apply(s);
      tx.commit();
      return result;
    }
  }

  private static void persist(Jpa jpa, String tenant, long id) {
    as(jpa, tenant, s -> {
      TenantCustomer c = new TenantCustomer();
      c.id = id;
      c.email = tenant.substring(0, Math.min(5, tenant.length())) + id + "@example.org";
      s.persist(c);
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persist_twoTenants_eachUnderItsOwnBranchKey_andDestroyingOneTakesExactlyItsRows(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, PER_TENANT, TenantCustomer.class)) {
      persist(jpa, "acme", 1);
      persist(jpa, "acme", 2);
      persist(jpa, "globex", 3);
      persist(jpa, LONGEST, 4);

      List<Map<String, Object>> rows = jpa.raw("select id, email from " + jpa.table("tenant_customer") + " order by id");
      assertThat(rows).extracting(r -> String.valueOf(Envelope.branchKeyOf((byte[]) r.get("email"))))
          .containsExactly("default.acme#1", "default.acme#1", "default.globex#1", "default." + LONGEST + "#1");

      assertThat(jpa.envelope.destroyBranchKey("default.acme")).isEqualTo(1);

      for (long id : new long[] {1, 2}) {
        Throwable thrown = catchThrowable(() -> as(jpa, "acme", s -> s.find(TenantCustomer.class, id)));
        EncryptedReadException e = Causes.find(thrown, EncryptedReadException.class);
        assertThat(e.code()).isEqualTo("RS-4202");
        assertThat(e).hasMessageContaining("default.acme#1");
      }
      assertThat(as(jpa, "globex", s -> s.find(TenantCustomer.class, 3L)).email).isEqualTo("globe3@example.org");
      assertThat(as(jpa, LONGEST, s -> s.find(TenantCustomer.class, 4L)).email).isEqualTo("ttttt4@example.org");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persist_tenantIdThatCannotNameAKey_failsWithRs4106AndWritesNothing(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, PER_TENANT, TenantCustomer.class)) {
      Throwable thrown = catchThrowable(() -> persist(jpa, "acme corp", 1));

      EncryptedWriteException e = Causes.find(thrown, EncryptedWriteException.class);
      assertThat(e.code()).isEqualTo("RS-4106");
      assertThat(jpa.raw("select id from " + jpa.table("tenant_customer"))).isEmpty();
    }
  }
}
