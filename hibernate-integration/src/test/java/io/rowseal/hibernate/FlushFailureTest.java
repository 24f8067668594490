package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A failure while encrypting aborts the flush: a clear exception, a rollback, no row written. */
class FlushFailureTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void commit_kmsUnavailable_rollsBackNamingEntityAttributeAndKeyId(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      jpa.kms.failWith(new KmsException.Unavailable("connection refused", null));

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.persist(new Account(1));
        s.persist(new Account(2));
      }));

      EncryptedWriteException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4101");
      assertThat(e.attribute()).startsWith("Account.");
      assertThat(e.branchKeyId()).isEqualTo("default");
      assertThat(e).hasMessageContaining("branch key 'default'").hasMessageContaining("RS-2004");
      assertThat(jpa.raw("select * from " + jpa.table("account"))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void commit_cmkDestroyed_rollsBackNamingTheDestroyedKey(TestDatabase db) {
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    var kms = new io.rowseal.kms.InMemoryCmkProvider();
    String cmk = kms.createKey("shredded").cmkId();
    kms.destroyNow(cmk);
    try (Envelope envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(store).cmkId(cmk).build();
        Jpa jpa = Jpa.start(db, Map.of(RowsealSettings.ENVELOPE, envelope), Account.class)) {

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.persist(new Account(1));
      }));

      EncryptedWriteException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4101");
      assertThat(e).hasMessageContaining("RS-2002").hasMessageContaining(cmk).hasMessageContaining("DESTROYED");
      assertThat(jpa.raw("select * from " + jpa.table("account"))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void commit_valueWithoutByteForm_rollsBackWholeTransactionWithoutTheValue(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Account.class)) {
      Account bad = new Account(2);
      bad.email = "broken \uD800 surrogate";

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.persist(new Account(1));
        s.persist(bad);
        s.persist(new Account(3));
      }));

      EncryptedWriteException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4102");
      assertThat(e.attribute()).isEqualTo("Account.email");
      assertThat(e).hasMessageContaining("unpaired surrogate").hasMessageNotContaining("broken");
      assertThat(jpa.raw("select * from " + jpa.table("account"))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void commit_valueLongerThanItsColumn_rollsBackNamingTheColumn(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      Sample s1 = Samples.typical(1);
      s1.bytes = new byte[301];

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.persist(s1);
      }));

      EncryptedWriteException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4103");
      assertThat(e).hasMessageContaining("Sample.bytes").hasMessageContaining(jpa.table("sample") + ".bytes");
      assertThat(jpa.raw("select * from " + jpa.table("sample"))).isEmpty();
    }
  }

  static EncryptedWriteException cause(Throwable thrown) {
    return Causes.find(thrown, EncryptedWriteException.class);
  }
}
