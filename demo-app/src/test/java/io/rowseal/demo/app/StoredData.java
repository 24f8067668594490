package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.kms.local.LocalKms;
import io.rowseal.kms.local.LocalKmsBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * What a finished demo left in its working directory, inspected by the test itself: the raw rows of the
 * H2 database, and their decryption with the stored keys by an envelope of the test's own (the demo's
 * development keystore, opened explicitly). Checks the demo's claims without trusting its output.
 */
final class StoredData implements AutoCloseable {
  private final JdbcDataSource dataSource = new JdbcDataSource();
  private final LocalKms kms;
  private final Envelope envelope;

  StoredData(Path workDir) {
    dataSource.setURL("jdbc:h2:file:" + workDir.resolve("demo-data/customers"));
    dataSource.setUser("sa");
    this.kms = LocalKms.builder().dataSource(dataSource)
        .keystore(workDir.resolve(LocalKmsBuilder.DEFAULT_DEV_KEYSTORE))
        .passphrase(LocalKmsBuilder.DEV_PASSPHRASE.toCharArray())
        .build();
    this.envelope = Envelope.builder().cmkProvider(kms).branchKeyStore(new JdbcBranchKeyStore(dataSource)).build();
  }

  DataSource dataSource() {
    return dataSource;
  }

  List<RawRows.Row> rows() {
    return RawRows.read(dataSource);
  }

  /** Each stored value decrypted by the test's own envelope, by row id and column. */
  Map<Long, Map<EncryptedColumn, String>> decrypted() throws IntegrityException {
    Map<Long, Map<EncryptedColumn, String>> all = new TreeMap<>();
    for (RawRows.Row row : rows()) {
      Map<EncryptedColumn, String> values = new TreeMap<>();
      for (EncryptedColumn c : EncryptedColumn.values()) {
        byte[] plain = envelope.decrypt(row.stored(c), "Customer." + c.attribute());
        values.put(c, decode(c, plain));
      }
      all.put(row.id(), values);
    }
    return all;
  }

  /** Value encoding v1 (docs/HIBERNATE.md): tag 0x01 UTF-8 string, tag 0x20 epoch day. */
  private static String decode(EncryptedColumn c, byte[] encoded) {
    if (encoded[0] == 0x01) {
      return new String(encoded, 1, encoded.length - 1, StandardCharsets.UTF_8);
    }
    assertThat(encoded[0]).as("tag of " + c).isEqualTo((byte) 0x20);
    long epochDay = 0;
    for (int i = 1; i < 9; i++) {
      epochDay = (epochDay << 8) | (encoded[i] & 0xff);
    }
    return java.time.LocalDate.ofEpochDay(epochDay).toString();
  }

  /** Branch-key versions by status, e.g. {@code {1=DECRYPT_ONLY, 2=ACTIVE}}. */
  Map<Integer, String> branchKeyVersions() {
    Map<Integer, String> versions = new TreeMap<>();
    KeyTables.read(dataSource).branchKeys().forEach(b -> versions.put(b.version(), b.status()));
    return versions;
  }

  @Override
  public void close() {
    // No pool: the embedded database closes with its last connection, so the next demo run can open it.
    envelope.close();
    kms.close();
  }
}
