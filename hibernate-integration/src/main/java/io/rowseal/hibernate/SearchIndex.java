package io.rowseal.hibernate;

import io.rowseal.Searchable;
import io.rowseal.envelope.BlindIndexKeys;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The blind index of one {@link Searchable} attribute: how its values are normalized, how long its tags
 * are, which columns hold them, and the tags themselves. Purpose 0 is the equality index; purpose k ≥ 1 the
 * index of the first k characters (prefix search). Thread-safe once started.
 */
final class SearchIndex {
  /** Bits of a unique (full-length) index: a collision is as unlikely as forging HMAC-SHA256. */
  static final int FULL_BITS = 256;
  /** Below this length, false positives are expected and removed after decryption. */
  static final int EXACT_BITS = 128;
  static final long DEFAULT_DISTINCT = 1_000_000;

  private final EncryptedJdbcType encrypted;
  private final Set<Searchable.Normalization> normalize;
  private final int prefix;
  private final boolean unique;
  private final int bits;
  private final String equalityColumn;
  private final String[] prefixColumns;
  private final boolean text;
  private volatile RowWrites rowWrites;
  private volatile String table;
  private volatile String column;
  private volatile String uniqueKey;
  /** Per index-key id: the active version whose older tags are all gone, and when that was last looked at. */
  private final java.util.concurrent.ConcurrentHashMap<String, long[]> staleChecked =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final long STALE_RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

  SearchIndex(EncryptedJdbcType encrypted, Set<Searchable.Normalization> normalize, int prefix, boolean unique,
      int bits, String equalityColumn, String[] prefixColumns, boolean text) {
    this.encrypted = encrypted;
    this.normalize = normalize.isEmpty() ? EnumSet.noneOf(Searchable.Normalization.class) : EnumSet.copyOf(normalize);
    this.prefix = prefix;
    this.unique = unique;
    this.bits = bits;
    this.equalityColumn = equalityColumn;
    this.prefixColumns = prefixColumns.clone();
    this.text = text;
  }

  /**
   * The index length for {@code distinct} expected values: the largest {@code b} with
   * {@code 2^b ≤ distinct/4}, at least 8 and above {@code log2(√distinct)} where that leaves room.
   */
  static int bitsFor(long distinct) {
    long d = Math.max(distinct, 2);
    int b = 63 - Long.numberOfLeadingZeros(Math.max(1, d / 4));
    return Math.max(8, Math.min(b, 255));
  }

  /** Whether {@code bits} keeps {@code √distinct < 2^bits < distinct/2} (the DB-ESDK beacon rule). */
  static boolean safe(int bits, long distinct) {
    double log2 = Math.log(Math.max(distinct, 2)) / Math.log(2);
    return bits > log2 / 2 && bits < log2 - 1;
  }

  /** Starts the index with the session factory: its key source, and the table and column SQL names. */
  void start(RowWrites rowWrites, String qualifiedTable, String encryptedColumn) {
    this.rowWrites = rowWrites;
    this.table = qualifiedTable;
    this.column = encryptedColumn;
  }

  /** The name of the unique key on the equality column ({@code unique = true}), for constraint errors. */
  void uniqueKey(String name) {
    this.uniqueKey = name;
  }

  /**
   * For a unique index, refuses a row write of {@code value} that another row still holds under the
   * previous index-key version. The database's unique key compares tags, and tags of two versions never
   * match: until the existing-data job has re-indexed every row after an index-key rotation, rowseal looks
   * the previous version's tag up itself (one lookup on the unique key per write, only while rows under the
   * previous version remain; whether any remain is looked at once a minute). {@code ownStoredTag} is the tag
   * the written row holds now (an update), which is not a duplicate of itself. Throws Hibernate's
   * {@link org.hibernate.exception.ConstraintViolationException}, as the database would.
   */
  void refuseStaleDuplicate(org.hibernate.engine.spi.SharedSessionContractImplementor session, Object value,
      byte[] ownStoredTag) {
    if (!unique || value == null) {
      return;
    }
    String keyId = indexKeyId(session);
    BranchKeyRef active = keys().active(keyId);
    BranchKeyRef previous = keys().previous(active);
    if (previous == null) {
      return;
    }
    java.sql.Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
    String sql = "select count(*) from " + table + " where " + equalityColumn + " = ?";
    try {
      if (!staleRowsMayRemain(c, keyId, active.version())) {
        return;
      }
      byte[] old = tag(previous, 0, input(value));
      if (ownStoredTag != null && java.util.Arrays.equals(old, ownStoredTag)) {
        return;
      }
      long holders;
      try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setBytes(1, old);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          holders = rs.getLong(1);
        }
      }
      if (holders > 0) {
        String message = "RS-4406: duplicate value for the unique " + attribute() + ": another row holds it under "
            + "index-key version " + previous.version() + " of '" + keyId + "', which the existing-data job has not "
            + "re-indexed yet, so the unique key " + uniqueKey + " cannot see it; refused as the key would refuse it";
        throw new org.hibernate.exception.ConstraintViolationException(message,
            new java.sql.SQLIntegrityConstraintViolationException(message, "23505"), uniqueKey);
      }
    } catch (java.sql.SQLException e) {
      throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
          "RS-4406: looking up the previous index-key version's tag of " + attribute(), sql);
    }
  }

  /** Whether rows may still hold tags of versions below {@code version}: counted at most once a minute. */
  private boolean staleRowsMayRemain(java.sql.Connection c, String keyId, int version) throws java.sql.SQLException {
    long now = System.nanoTime();
    long[] seen = staleChecked.get(keyId);
    if (seen != null && seen[0] == version && (seen[1] == 0 || now - seen[1] < STALE_RECHECK_NANOS)) {
      return seen[1] != 0;
    }
    boolean remain = tagsBelow(c, version) > 0;
    // once none remain under an older version none come back (writers tag under the active one): stop looking
    staleChecked.put(keyId, new long[] {version, remain ? Math.max(1, now) : 0});
    return remain;
  }

  /**
   * The stored values (bytes, or text in text form) of the rows whose index column of {@code purpose}
   * holds one of {@code tags} and whose decrypted value passes {@code matches}: read on the query's own
   * connection, so the rows are those the query sees.
   */
  java.util.List<Object> exactRows(java.sql.Connection connection, Object session, int purpose,
      java.util.List<byte[]> tags, java.util.function.Predicate<Object> matches) throws java.sql.SQLException {
    java.util.List<Object> out = new java.util.ArrayList<>();
    if (tags.isEmpty()) {
      return out;
    }
    String indexColumn = purpose == 0 ? equalityColumn : prefixColumn(purpose);
    StringBuilder sql = new StringBuilder("select ").append(column).append(" from ").append(table)
        .append(" where ").append(indexColumn).append(" in (");
    for (int i = 0; i < tags.size(); i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    sql.append(')');
    boolean binary = encrypted.form() == StorageForm.BINARY;
    try (java.sql.PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < tags.size(); i++) {
        ps.setBytes(i + 1, tags.get(i));
      }
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object stored = binary ? rs.getBytes(1) : rs.getString(1);
          if (stored != null && matches.test(decrypt(stored))) {
            out.add(stored);
          }
        }
      }
    }
    return out;
  }

  /**
   * How many rows hold an equality tag under an index-key version below {@code version}: the first byte of
   * a tag is its version, so these are the tags ordered before the one byte {@code version} (binary
   * columns compare as unsigned bytes on every supported database), a range the column's index answers.
   */
  long tagsBelow(java.sql.Connection connection, int version) throws java.sql.SQLException {
    String sql = "select count(*) from " + table + " where " + equalityColumn + " < ?";
    try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setBytes(1, new byte[] {(byte) version});
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private Object decrypt(Object stored) {
    EncryptedAttribute a = attribute();
    try {
      byte[] bytes = stored instanceof byte[] b ? b : io.rowseal.envelope.Envelope.fromText((String) stored);
      return encrypted.codec().toDomain(rowWrites().open(bytes, a).plaintext());
    } catch (io.rowseal.IntegrityException e) {
      throw rowWrites().readFailures().seen(new EncryptedReadException("RS-4201", a, null, "a row the blind "
          + "index points at does not verify (altered, moved from another row or attribute, or written under a "
          + "key this store does not hold): " + e.getMessage(), e));
    }
  }

  EncryptedJdbcType encrypted() {
    return encrypted;
  }

  EncryptedAttribute attribute() {
    return encrypted.attribute();
  }

  int prefix() {
    return prefix;
  }

  boolean unique() {
    return unique;
  }

  int bits() {
    return bits;
  }

  /** Whether a tag match may be a false positive, to be removed after decryption. */
  boolean lossy() {
    return bits < EXACT_BITS;
  }

  boolean lowerCase() {
    return normalize.contains(Searchable.Normalization.LOWER_CASE);
  }

  boolean text() {
    return text;
  }

  String equalityColumn() {
    return equalityColumn;
  }

  /** Column of the index of the first {@code k} characters, 1 ≤ k ≤ {@link #prefix()}. */
  String prefixColumn(int k) {
    return prefixColumns[k - 1];
  }

  /** Bytes of one stored tag: the key version and the truncated HMAC. */
  int tagLength() {
    return 1 + (bits + 7) / 8;
  }

  /** The normalized form of a text value. */
  String normalized(String s) {
    String out = s;
    if (normalize.contains(Searchable.Normalization.NFC)) {
      out = Normalizer.normalize(out, Normalizer.Form.NFC);
    }
    if (normalize.contains(Searchable.Normalization.TRIM)) {
      out = out.strip();
    }
    if (normalize.contains(Searchable.Normalization.LOWER_CASE)) {
      out = out.toLowerCase(Locale.ROOT);
    }
    return out;
  }

  /** What the equality index hashes for a domain value: normalized UTF-8 text, or the value's encoding. */
  byte[] input(Object domain) {
    if (domain instanceof String s) {
      return normalized(s).getBytes(StandardCharsets.UTF_8);
    }
    return encrypted.codec().unpaddedOfDomain(domain);
  }

  /** Whether two domain values are equal as this index compares them. */
  boolean matches(Object stored, Object searched) {
    if (stored instanceof String a && searched instanceof String b) {
      return normalized(a).equals(normalized(b));
    }
    return java.util.Arrays.equals(input(stored), input(searched));
  }

  /** Whether the normalized text {@code stored} starts with the normalized {@code prefix}. */
  boolean startsWith(Object stored, String prefixText) {
    return stored instanceof String s && normalized(s).startsWith(normalized(prefixText));
  }

  /** The first {@code k} code points of {@code s}, or {@code null} if it is shorter. */
  static String firstCodePoints(String s, int k) {
    if (s.codePointCount(0, s.length()) < k) {
      return null;
    }
    return s.substring(0, s.offsetByCodePoints(0, k));
  }

  /** The index key id of {@code session} (per tenant where branch keys are). */
  String indexKeyId(Object session) {
    String branchKeyId = rowWrites().keyId(session);
    return BlindIndexKeys.indexKeyId(branchKeyId != null ? branchKeyId
        : rowWrites().envelope().activeBranchKey().keyId());
  }

  BlindIndexKeys keys() {
    return rowWrites().envelope().blindIndexKeys();
  }

  /** Tag of {@code input} for {@code purpose} (0: equality, k: prefix of k characters) under {@code ref}. */
  byte[] tag(BranchKeyRef ref, int purpose, byte[] input) {
    return keys().tag(ref, attribute().context(), purpose == 0 ? "eq" : "prefix:" + purpose, input,
        purpose == 0 ? bits : Math.min(bits, 8 * purpose + 8));
  }

  /** The tag stored for a domain value and purpose under the active key, or {@code null} (no value, or too short). */
  byte[] storedTag(Object session, int purpose, Object domain) {
    if (domain == null) {
      return null;
    }
    byte[] in;
    if (purpose == 0) {
      in = input(domain);
    } else {
      String p = firstCodePoints(normalized((String) domain), purpose);
      if (p == null) {
        return null;
      }
      in = p.getBytes(StandardCharsets.UTF_8);
    }
    return tag(keys().active(indexKeyId(session)), purpose, in);
  }

  /** Length of a stored tag of {@code purpose}. */
  int tagLength(int purpose) {
    int b = purpose == 0 ? bits : Math.min(bits, 8 * purpose + 8);
    return 1 + (b + 7) / 8;
  }

  private RowWrites rowWrites() {
    RowWrites r = rowWrites;
    if (r == null) {
      throw new IllegalStateException("rowseal was not started for " + attribute());
    }
    return r;
  }

  @Override
  public String toString() {
    return "SearchIndex(" + attribute() + ", " + bits + " bits" + (prefix > 0 ? ", prefix " + prefix : "") + ")";
  }
}
