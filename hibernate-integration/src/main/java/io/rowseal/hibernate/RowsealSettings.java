package io.rowseal.hibernate;

import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.local.LocalKmsSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rowseal.*} settings, read from Hibernate's configuration: {@code persistence.xml}
 * properties, {@code hibernate.properties}, {@code spring.jpa.properties.rowseal.*}, or the settings map
 * of a programmatic bootstrap. Parsed and validated eagerly: a misspelt {@code rowseal.*} key or a bad
 * value fails the boot ({@code RS-4010}) rather than silently falling back.
 */
public final class RowsealSettings {
  /** An {@link io.rowseal.envelope.Envelope} instance to use as is (the caller closes it). */
  public static final String ENVELOPE = "rowseal.envelope";
  /**
   * The CMK provider: {@code local} (default, the embedded LocalKms in the application's database),
   * {@code in-memory} (tests only: keys die with the process), {@code aws} (AWS KMS, the key pinned by
   * {@link #CMK_ID}, {@code rowseal.kms.aws.*} settings; needs the optional AWS SDK), {@code pkcs11} (a
   * PKCS#11 token through SunPKCS11, {@code rowseal.kms.pkcs11.*} settings), the class name of a
   * {@link io.rowseal.kms.CmkProvider} with a public no-argument constructor, or an instance.
   */
  public static final String KMS = "rowseal.kms";
  /** A {@link io.rowseal.keystore.BranchKeyStore} instance; default: a JDBC store in the app's DataSource. */
  public static final String KEYSTORE = "rowseal.keystore";
  /** Table of the default JDBC branch-key store (default {@code rowseal_branch_keys}). */
  public static final String KEYSTORE_TABLE = "rowseal.keystore.table";
  /** Branch-key id rows are written under; columns are sized for it (default {@code default}). */
  public static final String BRANCH_KEY_ID = "rowseal.branch-key-id";
  /** CMK that wraps new branch-key versions (default: the existing one, or one created on first use). */
  public static final String CMK_ID = "rowseal.cmk-id";
  /**
   * CMKs, comma-separated, that wrapped older branch-key versions and may still unwrap them: the CMKs
   * used before {@link #CMK_ID} was switched. A version under any other CMK is refused (RS-1006, RS-3003).
   */
  public static final String PREVIOUS_CMK_IDS = "rowseal.previous-cmk-ids";
  /** How long an unwrapped branch key is cached, e.g. {@code PT5M} or {@code 5m} (default 5 minutes). */
  public static final String BRANCH_KEY_TTL = "rowseal.cache.branch-key-ttl";
  /** How long an unwrapped row DEK is cached for reads (default 5 minutes). */
  public static final String DEK_CACHE_TTL = "rowseal.cache.dek-ttl";
  /** How many row DEKs are cached for reads (default 10,000; 0 disables). */
  public static final String DEK_CACHE_MAX_SIZE = "rowseal.cache.dek-max-size";
  /** Start-up check of encrypted columns: {@code fail} (default), {@code warn} or {@code off}. */
  public static final String COLUMN_CHECK = "rowseal.column-check";
  /** Whether rows of entities with {@code @Encrypted} attributes carry a signed footer (default true). */
  public static final String ROW_SIGNATURE = "rowseal.row-signature";
  /** Name of the footer column (default {@code rowseal_sig}). */
  public static final String ROW_SIGNATURE_COLUMN = "rowseal.row-signature.column";
  /** Whether a row without a footer (written before it existed) fails to load (default true). */
  public static final String ROW_SIGNATURE_REQUIRE = "rowseal.row-signature.require";
  /**
   * Whether a value in an encrypted column that is not a rowseal value is read as the column's legacy
   * plaintext (default false: it is an integrity failure). For the transition of a table that held
   * plaintext before rowseal, until the migration job has encrypted it (docs/MIGRATION.md).
   */
  public static final String TRANSITION_READ_PLAINTEXT = "rowseal.transition.read-plaintext";
  /** Whether each tenant's rows go under a branch key of their own (Hibernate multi-tenancy; default false). */
  public static final String BRANCH_KEY_PER_TENANT = "rowseal.branch-key-per-tenant";
  /** The longest tenant id a per-tenant branch key is named after; columns are sized for it (default 32). */
  public static final String TENANT_ID_MAX_LENGTH = "rowseal.tenant-id-max-length";
  /**
   * How often the health check ({@link RowsealHealth}) may send the KMS its probe request (default 30 s);
   * checks in between answer from the last probe.
   */
  public static final String HEALTH_PROBE_INTERVAL = "rowseal.health.probe-interval";
  /** How long the health probe waits for the KMS before reporting it unreachable (default 5 s). */
  public static final String HEALTH_PROBE_TIMEOUT = "rowseal.health.probe-timeout";

  static final String DEFAULT_KEYSTORE_TABLE = "rowseal_branch_keys";
  static final String DEFAULT_ROW_SIGNATURE_COLUMN = "rowseal_sig";
  private static final Set<String> KNOWN = Set.of(ENVELOPE, KMS, KEYSTORE, KEYSTORE_TABLE, BRANCH_KEY_ID,
      CMK_ID, PREVIOUS_CMK_IDS, BRANCH_KEY_TTL, DEK_CACHE_TTL, DEK_CACHE_MAX_SIZE, COLUMN_CHECK, ROW_SIGNATURE,
      ROW_SIGNATURE_COLUMN, ROW_SIGNATURE_REQUIRE, TRANSITION_READ_PLAINTEXT, BRANCH_KEY_PER_TENANT,
      TENANT_ID_MAX_LENGTH, HEALTH_PROBE_INTERVAL, HEALTH_PROBE_TIMEOUT);
  private static final String PREFIX = "rowseal.";
  private static final Logger LOG = LoggerFactory.getLogger(RowsealSettings.class);
  /** Ignored system properties already warned about: one WARN each per JVM, however often settings are read. */
  private static final Set<String> IGNORED_WARNED = ConcurrentHashMap.newKeySet();
  private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
  /** Prefix of settings of the KMS implementations; LocalKms's ({@code rowseal.kms.local.*}) are checked here. */
  private static final String KMS_PREFIX = KMS + ".";
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** What {@link #COLUMN_CHECK} asks for. */
  enum ColumnCheckMode { FAIL, WARN, OFF }

  private final Map<String, Object> raw;
  private final String branchKeyId;
  private final ColumnCheckMode columnCheck;
  private final boolean rowSignature;
  private final boolean rowSignatureRequired;
  private final String rowSignatureColumn;

  private RowsealSettings(Map<String, Object> raw) {
    this.raw = raw;
    this.branchKeyId = text(BRANCH_KEY_ID, "default");
    try {
      BranchKeyRef.checkKeyId(branchKeyId);
    } catch (IllegalArgumentException e) {
      throw invalid(BRANCH_KEY_ID, e.getMessage());
    }
    String mode = text(COLUMN_CHECK, "fail").toUpperCase(java.util.Locale.ROOT);
    try {
      this.columnCheck = ColumnCheckMode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw invalid(COLUMN_CHECK, "must be fail, warn or off, was '" + raw.get(COLUMN_CHECK) + "'");
    }
    this.rowSignature = flag(ROW_SIGNATURE);
    this.rowSignatureRequired = flag(ROW_SIGNATURE_REQUIRE);
    this.rowSignatureColumn = text(ROW_SIGNATURE_COLUMN, DEFAULT_ROW_SIGNATURE_COLUMN);
    if (!COLUMN_NAME.matcher(rowSignatureColumn).matches()) {
      throw invalid(ROW_SIGNATURE_COLUMN, "must be a plain column name ([A-Za-z_][A-Za-z0-9_$]*, at most 63 "
          + "characters), was '" + rowSignatureColumn + "'");
    }
  }

  /**
   * Reads and validates the {@code rowseal.*} entries of Hibernate's settings. Hibernate folds the JVM's
   * system properties into them, so an unknown key whose value is exactly that of the system property
   * of the same name is taken for a system property meant for something else (a build tool's
   * {@code -Drowseal.version=1.2}): it is ignored with one WARN per key and JVM ({@code RS-4012}). Any
   * other unknown key fails ({@code RS-4010}); a known key applies wherever it comes from.
   */
  static RowsealSettings from(Map<String, ?> settings) {
    Map<String, Object> effective = new LinkedHashMap<>(settings);
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ?> e : settings.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX) || isKnown(key)) {
        continue;
      }
      if (isSystemProperty(key, e.getValue())) {
        effective.remove(key);
        if (IGNORED_WARNED.add(key)) {
          LOG.warn("RS-4012: rowseal ignores the system property {}: no rowseal setting has that name "
              + "(given in the Hibernate settings instead, an unknown rowseal.* key fails the boot)", key);
        }
      } else {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new EncryptedMappingException("RS-4010", "unknown setting(s) " + unknown + "; rowseal knows "
          + new TreeSet<>(KNOWN) + " and " + LocalKmsSettings.names() + ", and leaves " + KMS_PREFIX
          + "<name>.* to other KMS implementations");
    }
    try {
      effective = LocalKmsSettings.canonical(effective);
    } catch (IllegalArgumentException e) {
      throw new EncryptedMappingException("RS-4010", e.getMessage());
    }
    RowsealSettings s = new RowsealSettings(Collections.unmodifiableMap(effective));
    s.transitionReadPlaintext();
    s.tenantKeys();
    s.branchKeyTtl();
    s.dekCacheTtl();
    s.dekCacheMaxSize();
    s.healthProbeInterval();
    s.healthProbeTimeout();
    return s;
  }

  /**
   * Every {@code rowseal.*} setting rowseal itself reads, in its current spelling: these, LocalKms's
   * ({@code rowseal.kms.local.*}), AWS KMS's ({@code rowseal.kms.aws.*}) and PKCS#11's
   * ({@code rowseal.kms.pkcs11.*}). The Spring Boot auto-configuration binds each of them, and its
   * configuration metadata is checked against this list.
   */
  public static Set<String> names() {
    Set<String> all = new TreeSet<>(KNOWN);
    all.addAll(LocalKmsSettings.names());
    all.addAll(io.rowseal.kms.aws.AwsKms.settingNames());
    all.addAll(io.rowseal.kms.pkcs11.Pkcs11CmkProvider.settingNames());
    return Collections.unmodifiableSet(all);
  }

  private static boolean isKnown(String key) {
    if (KNOWN.contains(key) || LocalKmsSettings.isKnown(key)) {
      return true;
    }
    // rowseal.kms.<name>.* belongs to the KMS of that name; only LocalKms's keys are rowseal's to check.
    return key.startsWith(KMS_PREFIX) && key.indexOf('.', KMS_PREFIX.length()) > 0
        && !key.startsWith(LocalKmsSettings.PREFIX);
  }

  private static boolean isSystemProperty(String key, Object value) {
    return value instanceof String s && s.equals(System.getProperty(key));
  }

  /** Forgets which ignored system properties were warned about (tests). */
  static void forgetWarnings() {
    IGNORED_WARNED.clear();
  }

  Map<String, Object> raw() {
    return raw;
  }

  String branchKeyId() {
    return branchKeyId;
  }

  ColumnCheckMode columnCheck() {
    return columnCheck;
  }

  /** Whether rows carry a signed footer ({@link #ROW_SIGNATURE}). */
  boolean rowSignature() {
    return rowSignature;
  }

  /** Which branch key each row write goes under, and what columns are sized for. */
  TenantKeys tenantKeys() {
    boolean perTenant = flag(BRANCH_KEY_PER_TENANT, false);
    Object max = raw.get(TENANT_ID_MAX_LENGTH);
    int length;
    try {
      length = max == null ? 32 : Integer.parseInt(max.toString().trim());
    } catch (NumberFormatException e) {
      throw invalid(TENANT_ID_MAX_LENGTH, "must be a whole number, was '" + max + "'");
    }
    if (length < 1 || branchKeyId.length() + 1 + length > BranchKeyRef.MAX_KEY_ID_LENGTH) {
      throw invalid(TENANT_ID_MAX_LENGTH, "must be 1 to " + (BranchKeyRef.MAX_KEY_ID_LENGTH - 1
          - branchKeyId.length()) + " with branch key id '" + branchKeyId + "', was " + length);
    }
    return new TenantKeys(branchKeyId, perTenant, length);
  }

  /** The branch-key id columns are sized for (the longest a row can be written under). */
  String sizingKeyId() {
    return tenantKeys().sizingKeyId();
  }

  boolean transitionReadPlaintext() {
    return flag(TRANSITION_READ_PLAINTEXT, false);
  }

  boolean rowSignatureRequired() {
    return rowSignatureRequired;
  }

  String rowSignatureColumn() {
    return rowSignatureColumn;
  }

  Object value(String key) {
    return raw.get(key);
  }

  String keystoreTable() {
    return text(KEYSTORE_TABLE, DEFAULT_KEYSTORE_TABLE);
  }

  String cmkId() {
    return text(CMK_ID, null);
  }

  java.util.List<String> previousCmkIds() {
    String list = text(PREVIOUS_CMK_IDS, null);
    return list == null ? java.util.List.of()
        : java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  Duration branchKeyTtl() {
    return duration(BRANCH_KEY_TTL);
  }

  Duration dekCacheTtl() {
    return duration(DEK_CACHE_TTL);
  }

  Duration healthProbeInterval() {
    return duration(HEALTH_PROBE_INTERVAL);
  }

  Duration healthProbeTimeout() {
    return duration(HEALTH_PROBE_TIMEOUT);
  }

  /** The DEK cache size, or -1 when not set. */
  long dekCacheMaxSize() {
    Object v = raw.get(DEK_CACHE_MAX_SIZE);
    if (v == null) {
      return -1;
    }
    try {
      long n = v instanceof Number number ? number.longValue() : Long.parseLong(v.toString().trim());
      if (n < 0) {
        throw invalid(DEK_CACHE_MAX_SIZE, "must not be negative, was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(DEK_CACHE_MAX_SIZE, "must be a whole number, was '" + v + "'");
    }
  }

  /** A boolean setting that defaults to true: {@code true}/{@code false}, nothing else. */
  private boolean flag(String key) {
    return flag(key, true);
  }

  private boolean flag(String key, boolean defaultValue) {
    Object v = raw.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw invalid(key, "must be true or false, was '" + v + "'");
  }

  private String text(String key, String defaultValue) {
    Object v = raw.get(key);
    return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
  }

  private Duration duration(String key) {
    Object v = raw.get(key);
    if (v == null || v instanceof Duration) {
      return (Duration) v;
    }
    String s = v.toString().trim();
    Matcher m = SIMPLE_DURATION.matcher(s);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } else {
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(key, "must be an ISO-8601 duration (PT5M) or a number with ms, s, m, h or d, was '"
            + s + "'");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw invalid(key, "must be positive, was '" + s + "'");
    }
    return d;
  }

  static EncryptedMappingException invalid(String key, String problem) {
    return new EncryptedMappingException("RS-4010", "setting " + key + " " + problem);
  }
}
