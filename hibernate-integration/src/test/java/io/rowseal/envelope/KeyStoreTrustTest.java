package io.rowseal.envelope;

import static io.rowseal.envelope.EnvelopeTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.IntegrityException;
import io.rowseal.RowsealException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.keystore.KeyStoreException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KeyMetadata;
import java.time.Duration;
import io.rowseal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The key-store table is not trusted (issue 15, finding 2): someone who can write it can neither make
 * new rows go under an old branch-key version nor under a version wrapped by a CMK of their own.
 */
class KeyStoreTrustTest {
  private final InMemoryCmkProvider kms = new InMemoryCmkProvider();
  private final String ours = kms.createKey("ours").cmkId();
  private final String theirs = kms.createKey("theirs").cmkId();
  private final String table = TestDatabase.uniqueTableName("trust");
  private HikariDataSource dataSource;

  @AfterEach
  void dropTables() throws SQLException {
    if (dataSource != null) {
      sql("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_head");
      dataSource.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void olderVersionSetActiveInTheTable_newProcessRefusesToWriteUnderIt(TestDatabase db) throws Exception {
    Envelope before = envelope(db, ours, List.of());
    byte[] v1 = before.encrypt(bytes("one"), "T.v");
    before.rotateBranchKey();
    before.rotateBranchKey();

    sql("UPDATE " + table + " SET status = 'DECRYPT_ONLY' WHERE key_version = 3",
        "UPDATE " + table + " SET status = 'ACTIVE' WHERE key_version = 1",
        "UPDATE " + table + "_head SET active_version = 1");

    Envelope after = envelope(db, ours, List.of());
    KeyStoreException e = refused(() -> after.encrypt(bytes("two"), "T.v"));
    assertThat(e).hasMessageContaining("key id 'default'").hasMessageContaining("newest version 3 is DECRYPT_ONLY");
    assertThat(after.decrypt(v1, "T.v")).isEqualTo(bytes("one")); // reading stays possible
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void newestVersionDeletedFromTheTable_runningProcessNeverGoesBack(TestDatabase db) throws Exception {
    Envelope process = envelope(db, ours, List.of());
    process.encrypt(bytes("v"), "T.v");
    process.rotateBranchKey();
    process.rotateBranchKey();
    assertThat(process.activeBranchKey().version()).isEqualTo(3);

    sql("DELETE FROM " + table + " WHERE key_version = 3",
        "UPDATE " + table + " SET status = 'ACTIVE' WHERE key_version = 2",
        "UPDATE " + table + "_head SET active_version = 2, max_version = 2");
    process.close(); // forgets every cached key and ACTIVE version, as a cache expiry would

    KeyStoreException e = refused(process::activeBranchKey);
    assertThat(e).hasMessageContaining("went back from 3 to 2");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void versionWrappedUnderAnotherCmk_refusedForWritesAndReads(TestDatabase db) throws Exception {
    Envelope victim = envelope(db, ours, List.of());
    byte[] honest = victim.encrypt(bytes("honest"), "T.v");
    // The attacker holds a CMK of their own and writes the table: they add version 2 under it.
    Envelope attacker = Envelope.builder().cmkProvider(kms).branchKeyStore(new JdbcBranchKeyStore(dataSource, table))
        .cmkId(theirs).build();
    assertThat(attacker.rotateBranchKey()).isEqualTo(new BranchKeyRef("default", 2));
    byte[] planted = attacker.encrypt(bytes("planted"), "T.v");

    Envelope restarted = envelope(db, ours, List.of());
    KeyStoreException write = refused(() -> restarted.encrypt(bytes("x"), "T.v"));
    assertThat(write).hasMessageContaining("ACTIVE version 2 is wrapped under CMK '" + theirs + "'")
        .hasMessageContaining("rowseal.previous-cmk-ids");
    assertThatThrownBy(() -> restarted.decrypt(planted, "T.v"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("RS-1006: branch key default#2 is wrapped under CMK '" + theirs + "'");
    assertThat(restarted.decrypt(honest, "T.v")).isEqualTo(bytes("honest"));

    // Listing that CMK as a previous one is how a user who switched CMKs keeps reading.
    Envelope trusting = envelope(db, ours, List.of(theirs));
    assertThat(trusting.decrypt(planted, "T.v")).isEqualTo(bytes("planted"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void cmkIdIsBoundIntoTheWrap_relabellingAVersionsCmkDoesNotUnwrap(TestDatabase db) throws Exception {
    // A KMS where two ids name one key (an alias and the key's own id): only the wrap's context can
    // tell which id a version was made under.
    String alias = "alias/" + ours;
    CmkProvider aliasing = new Aliasing(kms, alias, ours);
    dataSource = db.dataSource();
    Envelope process = Envelope.builder().cmkProvider(aliasing).branchKeyStore(new JdbcBranchKeyStore(dataSource, table))
        .cmkId(ours).previousCmkIds(List.of(alias)).build();
    byte[] value = process.encrypt(bytes("v"), "T.v");
    process.rotateBranchKey();
    sql("UPDATE " + table + " SET cmk_id = '" + alias + "' WHERE key_version = 1");

    Envelope restarted = Envelope.builder().cmkProvider(aliasing)
        .branchKeyStore(new JdbcBranchKeyStore(dataSource, table)).cmkId(ours).previousCmkIds(List.of(alias)).build();
    assertThatThrownBy(() -> restarted.decrypt(value, "T.v")).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not verify");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void versionWrappedBeforeTheCmkIdWasBound_staysReadableWithOneExtraKmsCallPerProcess(TestDatabase db)
      throws Exception {
    dataSource = db.dataSource();
    JdbcBranchKeyStore store = new JdbcBranchKeyStore(dataSource, table);
    // What rowseal 0.2 stored: the wrap's context names key id and version only.
    store.createIfAbsent("default", ours, ref -> kms.generateDataKey(ours, BranchKeyCache.context(ref)).wrapped());
    Envelope process = Envelope.builder().cmkProvider(kms).branchKeyStore(store).cmkId(ours).build();
    byte[] value = process.encrypt(bytes("old key"), "T.v");
    assertThat(process.metrics().cmkCalls()).isEqualTo(2); // the bound context fails, the old one unwraps

    process.close();
    assertThat(process.decrypt(value, "T.v")).isEqualTo(bytes("old key"));
    assertThat(process.metrics().cmkCalls()).isEqualTo(3); // remembered: one call from then on
  }

  /** Resolves {@code alias} to {@code target}; everything else goes to the delegate unchanged. */
  private record Aliasing(CmkProvider delegate, String alias, String target) implements CmkProvider {
    private String resolve(String id) {
      return id.equals(alias) ? target : id;
    }

    @Override
    public KeyMetadata createKey(String description) {
      return delegate.createKey(description);
    }

    @Override
    public DataKey generateDataKey(String cmkId, EncryptionContext context) {
      return delegate.generateDataKey(resolve(cmkId), context);
    }

    @Override
    public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
      return delegate.wrap(resolve(cmkId), key, context);
    }

    @Override
    public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
      return delegate.unwrap(resolve(cmkId), wrapped, context);
    }

    @Override
    public KeyMetadata describe(String cmkId) {
      return delegate.describe(resolve(cmkId));
    }

    @Override
    public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
      return delegate.scheduleDeletion(resolve(cmkId), waitingPeriod);
    }
  }

  /** A write fails with RS-1101 (no active branch key) caused by the key store's RS-3003 refusal. */
  private static KeyStoreException refused(ThrowingCallable write) {
    Throwable thrown = catchThrowable(write);
    assertThat(thrown).isInstanceOf(RowsealException.class);
    assertThat(((RowsealException) thrown).code()).isIn("RS-1101", "RS-3003");
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof KeyStoreException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("a KeyStoreException in the causes of %s", thrown).isNotNull();
    KeyStoreException e = (KeyStoreException) cause;
    assertThat(e.code()).isEqualTo("RS-3003");
    return e;
  }

  private Envelope envelope(TestDatabase db, String cmkId, List<String> previous) {
    if (dataSource == null) {
      dataSource = db.dataSource();
    }
    return Envelope.builder().cmkProvider(kms).branchKeyStore(new JdbcBranchKeyStore(dataSource, table))
        .cmkId(cmkId).previousCmkIds(previous).build();
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
