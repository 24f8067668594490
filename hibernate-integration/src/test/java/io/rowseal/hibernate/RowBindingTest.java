package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.event.spi.EventSource;
import org.hibernate.event.spi.PreLoadEvent;
import org.hibernate.persister.entity.EntityPersister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A row's footer binds its table and its tenant (issue 15, finding 5): a whole row (every value and its
 * footer) copied into another table, or moved to another tenant, does not verify; and a footer that
 * this load did not read together with its values is refused rather than assumed to come from a cache.
 */
class RowBindingTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void wholeRowCopiedIntoAnotherTableOfTheSameEntity_failsToLoadWithRs4204(TestDatabase db) {
    try (Jpa first = Jpa.start(db, Patient.class); Jpa second = Jpa.prepare(db)) {
      // The same entity in another table (another deployment, another schema's copy), same keys.
      second.boot(Map.of(RowsealSettings.ENVELOPE, first.envelope), Patient.class);
      first.inTransaction(s -> s.persist(new Patient(7)));
      second.inTransaction(s -> s.persist(new Patient(8)));
      assertThat(second.fromTransaction(s -> s.find(Patient.class, 8L)).ssn).isEqualTo(new Patient(8).ssn);

      Map<String, Object> row = first.raw("select * from " + first.table("patient") + " where id = 7").get(0);
      second.rawUpdate("delete from " + second.table("patient"));
      second.rawUpdate("insert into " + second.table("patient")
          + " (id, name, ssn, diagnosis, ward, rowseal_sig) values (?, ?, ?, ?, ?, ?)", row.get("id"), row.get("name"),
          row.get("ssn"), row.get("diagnosis"), row.get("ward"), row.get("rowseal_sig"));

      Throwable thrown = catchThrowable(() -> second.fromTransaction(s -> s.find(Patient.class, 7L)));
      EncryptedReadException e = TamperTest.cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4204");
      assertThat(e).hasMessageContaining("Patient").hasMessageContaining("7");
      assertThat(first.fromTransaction(s -> s.find(Patient.class, 7L)).ssn).isEqualTo(new Patient(7).ssn);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void wholeRowMovedToAnotherTenant_failsToLoadWithRs4204(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, TenantCustomer.class)) {
      TenantKeysTest.as(jpa, "acme", s -> {
        TenantCustomer c = new TenantCustomer();
        c.id = 1L;
        c.email = "ceo@acme.example";
        s.persist(c);
        return c;
      });
      assertThat(TenantKeysTest.as(jpa, "acme", s -> s.find(TenantCustomer.class, 1L)).email).isEqualTo("ceo@acme.example");

      jpa.rawUpdate("update " + jpa.table("tenant_customer") + " set tenant = 'globex' where id = 1");

      Throwable thrown = catchThrowable(() -> TenantKeysTest.as(jpa, "globex", s -> s.find(TenantCustomer.class, 1L)));
      assertThat(TamperTest.cause(thrown).code()).isEqualTo("RS-4204");
    }
  }

  @Test
  void footerReadButNotClaimedByThisLoad_isRefusedNotSkipped() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Patient.class)) {
      jpa.inTransaction(s -> s.persist(new Patient(3)));
      byte[] footer = (byte[]) jpa.raw("select rowseal_sig from " + jpa.table("patient") + " where id = 3")
          .get(0).get("rowseal_sig");
      RowSignatures signatures = RowSignatures.of(jpa.sessionFactory.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class));

      try (Session session = jpa.sessionFactory.openSession()) {
        EntityPersister persister = session.unwrap(SessionImplementor.class).getFactory().getMappingMetamodel()
            .getEntityDescriptor(Patient.class);
        SignedEntity entity = signatures.entity(persister);
        Object[] state = new Object[persister.getPropertyNames().length];
        state[entity.footerIndex] = StoredFooter.read(footer); // read from a column, but not in this load
        PreLoadEvent event = new PreLoadEvent(session.unwrap(EventSource.class))
            .setEntity(new Patient()).setId(3L).setPersister(persister).setState(state);

        Throwable thrown = catchThrowable(() -> new RowVerifier(signatures).onPreLoad(event));
        assertThat(thrown).isInstanceOf(EncryptedReadException.class);
        assertThat(((EncryptedReadException) thrown).code()).isEqualTo("RS-4204");
      }
    }
  }

}
