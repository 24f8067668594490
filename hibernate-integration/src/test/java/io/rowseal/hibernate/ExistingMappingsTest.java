package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.envelope.Envelope;
import io.rowseal.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @Encrypted} added to attributes that already carry their application's mapping: each keeps
 * that mapping (the value rowseal encrypts is the one Hibernate would have stored), round-trips on every
 * database, leaves no plaintext on disk and no spurious UPDATE.
 */
class ExistingMappingsTest {
  static final List<String> ENCRYPTED = List.of("byname", "byordinal", "phone", "notes", "scan", "bornon",
      "lastseen", "updated", "code", "textform", "bigtext", "required", "ratio", "initial", "level",
      "place_city", "place_tier");

  static Legacy sample(long id) {
    Legacy l = new Legacy();
    l.id = id;
    l.byName = Tier.SILVER;
    l.byOrdinal = Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME;
    l.phone = new Legacy.Phone("41", "79 555 01 23");
    l.notes = "notes that would be a CLOB " + "x".repeat(3000);
    l.scan = "scan bytes of a BLOB".getBytes(StandardCharsets.UTF_8);
    l.bornOn = java.sql.Date.valueOf("1980-02-29");
    l.lastSeen = Timestamp.valueOf("2026-12-01 10:15:30.123456");
    Calendar updated = Calendar.getInstance();
    updated.setTimeInMillis(Timestamp.valueOf("2026-11-30 23:59:59").getTime());
    l.updated = updated;
    l.code = "CODE-twenty-chars-xx";
    l.textForm = "rs1: text in a varchar";
    l.bigText = "a LONG32VARCHAR value";
    l.required = "required value";
    l.ratio = 0.75f;
    l.initial = 'Q';
    l.level = (byte) -7;
    l.place = new Legacy.Place();
    l.place.city = "Winterthur";
    l.place.tier = Tier.BRONZE;
    return l;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void persistAndFind_mappedAttributes_readBackAsTheApplicationWroteThem(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Legacy.class)) {
      Legacy written = sample(1);
      jpa.inTransaction(s -> s.persist(written));

      Legacy read = jpa.fromTransaction(s -> s.find(Legacy.class, 1L));

      assertThat(read.byName).isEqualTo(Tier.SILVER);
      assertThat(read.byOrdinal).isEqualTo(Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME);
      assertThat(read.phone).isEqualTo(written.phone);
      assertThat(read.notes).isEqualTo(written.notes);
      assertThat(read.scan).isEqualTo(written.scan);
      assertThat(read.bornOn.toString()).isEqualTo("1980-02-29");
      assertThat(read.lastSeen.getTime()).isEqualTo(written.lastSeen.getTime());
      assertThat(((Timestamp) read.lastSeen).getNanos()).isEqualTo(123456000);
      assertThat(read.updated.getTimeInMillis()).isEqualTo(written.updated.getTimeInMillis());
      assertThat(read.code).isEqualTo(written.code);
      assertThat(read.textForm).isEqualTo(written.textForm);
      assertThat(read.bigText).isEqualTo(written.bigText);
      assertThat(read.required).isEqualTo(written.required);
      assertThat(read.ratio).isEqualTo(0.75f);
      assertThat(read.initial).isEqualTo('Q');
      assertThat(read.level).isEqualTo((byte) -7);
      assertThat(read.place.city).isEqualTo("Winterthur");
      assertThat(read.place.tier).isEqualTo(Tier.BRONZE);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rawRow_mappedAttributes_holdCiphertextOfWhatHibernateWouldHaveStored(TestDatabase db)
      throws io.rowseal.IntegrityException, SQLException {
    try (Jpa jpa = Jpa.start(db, Legacy.class)) {
      jpa.inTransaction(s -> s.persist(sample(2)));

      Map<String, Object> row = jpa.raw("select * from " + jpa.table("legacy")).get(0);

      for (String column : ENCRYPTED) {
        Object stored = row.get(column);
        assertThat(stored).as(column).isNotNull();
        String text = new String(bytes(stored), StandardCharsets.ISO_8859_1);
        for (String secret : List.of("SILVER", "79 555", "notes that", "scan bytes", "1980", "CODE-twenty",
            "text in a varchar", "LONG32VARCHAR", "required value", "Winterthur", "BRONZE")) {
          assertThat(text).as(column).doesNotContain(secret);
        }
      }
      assertThat((String) row.get("textform")).startsWith("rs1:");
      // the name and the ordinal, as Hibernate would have stored them, each in its value encoding
      assertThat(plaintext(jpa, row, "byname", "Legacy.byName"))
          .isEqualTo(new EnumCodec(Tier.class).encode(Tier.SILVER));
      assertThat(plaintext(jpa, row, "byordinal", "Legacy.byOrdinal"))
          .isEqualTo(StandardCodec.INT.encode(Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME.ordinal()));
      assertThat(plaintext(jpa, row, "phone", "Legacy.phone"))
          .isEqualTo(StandardCodec.STRING.encode("+41 79 555 01 23"));
      assertThat(plaintext(jpa, row, "bornon", "Legacy.bornOn"))
          .isEqualTo(StandardCodec.LOCAL_DATE.encode(java.time.LocalDate.of(1980, 2, 29)));
      assertThat(plaintext(jpa, row, "level", "Legacy.level")).isEqualTo(StandardCodec.SHORT.encode((short) -7));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void flush_afterLoadingMappedAttributes_issuesNoUpdate(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Legacy.class)) {
      jpa.inTransaction(s -> s.persist(sample(3)));
      jpa.sql.clear();

      jpa.inTransaction(s -> s.find(Legacy.class, 3L));

      assertThat(jpa.sql.count("update")).isZero();
      assertThat(jpa.sql.count("select")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void schema_encryptedColumns_areSizedForTheirCiphertextWithoutThePlaintextChecks(TestDatabase db)
      throws SQLException {
    try (Jpa jpa = Jpa.start(db, Legacy.class, Sample.class)) {
      Map<String, Integer> legacy = columnSizes(jpa, jpa.table("legacy"));
      Map<String, Integer> sample = columnSizes(jpa, jpa.table("sample"));
      if (db == TestDatabase.POSTGRESQL) {
        // bytea declares no width: every encrypted column is one, whatever its plaintext type was
        assertThat(legacy.get("byname")).isEqualTo(sample.get("birthdate")).isEqualTo(Integer.MAX_VALUE);
        return;
      }

      // a LocalDate encodes in 1 + 8 bytes; a @Column(length = 20) string in up to 1 + 60
      assertThat(sample.get("birthdate")).isEqualTo(Envelope.binaryLength(9, "default"));
      assertThat(legacy.get("code")).isEqualTo(Envelope.binaryLength(61, "default"));
      assertThat(legacy.get("byname")).isEqualTo(
          Envelope.binaryLength(1 + "GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME".length(), "default"));
      assertThat(legacy.get("notes")).as("a @Lob keeps room for its default length")
          .isGreaterThanOrEqualTo(Envelope.binaryLength(1 + 3 * 1_048_576, "default"));
    }
  }

  /** A column's raw bytes: drivers return large binary columns as a Blob, text form as a String. */
  private static byte[] bytes(Object stored) throws SQLException {
    if (stored instanceof java.sql.Blob blob) {
      return blob.getBytes(1, (int) blob.length());
    }
    return stored instanceof byte[] b ? b : stored.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] plaintext(Jpa jpa, Map<String, Object> row, String column, String context)
      throws io.rowseal.IntegrityException {
    return jpa.envelope.decrypt((byte[]) row.get(column), context);
  }

  private static Map<String, Integer> columnSizes(Jpa jpa, String table) throws SQLException {
    Map<String, Integer> sizes = new java.util.HashMap<>();
    try (Connection c = jpa.pool.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
        try (ResultSet rs = meta.getColumns(c.getCatalog(), null, name, null)) {
          while (rs.next()) {
            sizes.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("COLUMN_SIZE"));
          }
        }
      }
    }
    return sizes;
  }
}
