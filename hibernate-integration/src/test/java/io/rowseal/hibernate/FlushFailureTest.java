package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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

  static Stream<Arguments> databasesSignedAndUnsigned() {
    return Stream.of(TestDatabase.values()).flatMap(db -> Stream.of(Arguments.of(db, true), Arguments.of(db, false)));
  }

  /**
   * The KMS becomes unreachable in the middle of a flush, after 30 of its 50 rows were encrypted and
   * handed to the driver (20 executed as a batch, 10 waiting in the next): the branch-key cache lifetime
   * ends there, as its TTL would end it ({@code close()} drops every cached key), so row 31 needs the KMS.
   * Signed rows are encrypted before binding, unsigned ones while their values are bound (so the failing
   * row is half bound). Either way the whole transaction rolls back: the rows committed before are intact,
   * none of the flush's rows is in the table, encrypted or not, and the same work succeeds once the KMS is back.
   */
  @ParameterizedTest(name = "{0}, signed rows: {1}")
  @MethodSource("databasesSignedAndUnsigned")
  @DisplayName("invariant 5: the KMS failing mid-flush, after rows were encrypted and sent, rolls back every row; a retry writes them")
  void commit_kmsFailsMidFlushAfterRowsWereSent_rollsBackEveryRowOfTheFlushAndRetrySucceeds(TestDatabase db,
      boolean signed) {
    Map<String, Object> settings = signed ? Map.of() : Map.of(RowsealSettings.ROW_SIGNATURE, "false");
    try (Jpa jpa = Jpa.start(db, settings, Account.class)) {
      String table = jpa.table("account");
      jpa.inTransaction(s -> LongStream.rangeClosed(1, 10).forEach(id -> s.persist(new Account(id))));
      List<Long> batchesWhenTheKmsFailed = new ArrayList<>();
      jpa.jdbc.reset();
      jpa.jdbc.afterRows(30, () -> {
        batchesWhenTheKmsFailed.add(jpa.jdbc.batches.get());
        jpa.kms.failWith(new KmsException.Unavailable("connection refused", null));
        jpa.envelope.close();
      });

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(
          s -> LongStream.rangeClosed(11, 60).forEach(id -> s.persist(new Account(id)))));

      EncryptedWriteException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4101");
      assertThat(e).hasMessageContaining("branch key 'default'").hasMessageContaining("RS-2004");
      assertThat(batchesWhenTheKmsFailed).as("rows 11 to 30 were executed before the KMS failed").containsExactly(1L);
      List<Map<String, Object>> left = jpa.raw("select * from " + table + " order by id");
      assertThat(left).extracting(r -> ((Number) r.get("id")).longValue())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
      for (Map<String, Object> row : left) {
        for (String column : List.of("email", "birth", "balance")) {
          assertThat(Envelope.isValue((byte[]) row.get(column))).as("row %s %s", row.get("id"), column).isTrue();
        }
      }

      jpa.kms.failWith(null);
      jpa.inTransaction(s -> LongStream.rangeClosed(11, 60).forEach(id -> s.persist(new Account(id))));

      List<Account> all = jpa.fromTransaction(s -> s.createQuery("from Account order by id", Account.class)
          .getResultList());
      assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, 60).mapToObj(Account::new).toList());
    }
  }

  static EncryptedWriteException cause(Throwable thrown) {
    return Causes.find(thrown, EncryptedWriteException.class);
  }
}
