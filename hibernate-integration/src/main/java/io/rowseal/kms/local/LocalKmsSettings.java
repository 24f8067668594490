package io.rowseal.kms.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rowseal.kms.local.*} settings (Hibernate properties, {@code persistence.xml},
 * {@code spring.jpa.properties.*}), mapped onto a {@link LocalKmsBuilder}. Keys not starting with the
 * prefix are ignored; an unknown key under it is an error, so a typo does not silently fall back to the
 * development setup.
 *
 * <p>Keys are kebab-case like every {@code rowseal.*} key. The snake_case spellings of earlier versions
 * ({@code hsm_count}, …) still work: each logs one deprecation WARN per JVM, and one given together with
 * its kebab-case spelling at a different value is an error naming both.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@value #KEYSTORE}</td><td>path of the PKCS#12 file</td><td>development setup</td></tr>
 *   <tr><td>{@value #PASSPHRASE_ENV}</td><td>name of the environment variable that holds the passphrase
 *       (preferred)</td><td>–</td></tr>
 *   <tr><td>{@value #PASSPHRASE}</td><td>the passphrase itself (String or char[])</td><td>–</td></tr>
 *   <tr><td>{@value #HSM_COUNT}</td><td>1..16</td><td>3</td></tr>
 *   <tr><td>{@value #TABLE_PREFIX}</td><td>table name prefix</td><td>{@code rowseal_kms_}</td></tr>
 *   <tr><td>{@value #QUOTA}</td><td>requests per second</td><td>10000</td></tr>
 *   <tr><td>{@value #DOMAIN_KEY_ROTATION}</td><td>ISO-8601 duration, e.g. {@code P1D},
 *       {@code PT12H}</td><td>{@code P1D}</td></tr>
 *   <tr><td>{@value #DEVELOPMENT_KEYS}</td><td>{@code true}: without a keystore, the development setup
 *       runs on any database, not only on an embedded H2</td><td>{@code false}</td></tr>
 * </table>
 *
 * <p>Thread-safe: static methods only.
 */
public final class LocalKmsSettings {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKmsSettings.class);

  public static final String PREFIX = "rowseal.kms.local.";
  public static final String KEYSTORE = PREFIX + "keystore";
  public static final String PASSPHRASE = PREFIX + "passphrase";
  public static final String PASSPHRASE_ENV = PREFIX + "passphrase-env";
  public static final String HSM_COUNT = PREFIX + "hsm-count";
  public static final String TABLE_PREFIX = PREFIX + "table-prefix";
  public static final String QUOTA = PREFIX + "quota";
  public static final String DOMAIN_KEY_ROTATION = PREFIX + "domain-key-rotation";
  public static final String DEVELOPMENT_KEYS = PREFIX + "development-keys";
  static final List<String> KNOWN = List.of(KEYSTORE, PASSPHRASE, PASSPHRASE_ENV, HSM_COUNT, TABLE_PREFIX,
      QUOTA, DOMAIN_KEY_ROTATION, DEVELOPMENT_KEYS);
  /** Spellings of earlier versions, and the key each now is. */
  static final Map<String, String> DEPRECATED = Map.of(
      PREFIX + "passphrase_env", PASSPHRASE_ENV,
      PREFIX + "hsm_count", HSM_COUNT,
      PREFIX + "table_prefix", TABLE_PREFIX,
      PREFIX + "domain_key_rotation", DOMAIN_KEY_ROTATION);
  /** Deprecated spellings already warned about: one WARN each per JVM, however often settings are read. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private LocalKmsSettings() {}

  /** The LocalKms settings, in their current spelling. */
  public static List<String> names() {
    return KNOWN;
  }

  /** Whether {@code key} is a LocalKms setting, in its current or a deprecated spelling. */
  public static boolean isKnown(String key) {
    return KNOWN.contains(key) || DEPRECATED.containsKey(key);
  }

  /**
   * {@code settings} with every deprecated spelling replaced by the current key (logging one WARN per
   * spelling and JVM); other entries, under the prefix or not, are kept as they are.
   *
   * @throws IllegalArgumentException if a deprecated spelling and its current key are both set, to
   *     different values (the message names both keys, never the values)
   */
  public static Map<String, Object> canonical(Map<String, ?> settings) {
    Map<String, Object> result = new LinkedHashMap<>(settings);
    for (Map.Entry<String, String> alias : DEPRECATED.entrySet()) {
      String old = alias.getKey();
      String current = alias.getValue();
      if (!settings.containsKey(old)) {
        continue;
      }
      Object oldValue = settings.get(old);
      Object value = settings.get(current);
      if (value != null && !sameText(value, oldValue)) {
        throw new IllegalArgumentException("setting " + current + " is also given under its deprecated "
            + "spelling " + old + ", with a different value; remove " + old);
      }
      if (WARNED.add(old)) {
        LOG.warn("RS-2017: rowseal setting {} is deprecated; use {} (rowseal.* keys are kebab-case)", old, current);
      }
      result.remove(old);
      if (value == null) {
        result.put(current, oldValue);
      }
    }
    return result;
  }

  /** Forgets which deprecated spellings were warned about (tests). */
  static void forgetWarnings() {
    WARNED.clear();
  }

  /**
   * Applies the {@code rowseal.kms.local.*} entries of {@code settings} to {@code builder}.
   *
   * @throws IllegalArgumentException for an unknown key under the prefix or a bad value
   * @throws IllegalStateException if the builder already had one of the settings
   */
  public static LocalKmsBuilder apply(Map<String, ?> settings, LocalKmsBuilder builder) {
    for (var e : canonical(settings).entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key == null || !key.startsWith(PREFIX) || value == null) {
        continue;
      }
      switch (key) {
        case KEYSTORE -> builder.keystore(value instanceof Path p ? p : Path.of(text(key, value)));
        case PASSPHRASE -> builder.passphrase(value instanceof char[] c ? c : text(key, value).toCharArray());
        case PASSPHRASE_ENV -> builder.passphraseFromEnv(text(key, value));
        case HSM_COUNT -> builder.hsmCount(integer(key, value));
        case TABLE_PREFIX -> builder.tablePrefix(text(key, value));
        case QUOTA -> builder.quota(integer(key, value));
        case DOMAIN_KEY_ROTATION -> builder.domainKeyRotationPeriod(duration(key, value));
        case DEVELOPMENT_KEYS -> builder.developmentKeys(flag(key, value));
        default -> throw new IllegalArgumentException("unknown setting " + key + "; known settings: " + KNOWN);
      }
    }
    return builder;
  }

  private static boolean sameText(Object a, Object b) {
    return Objects.equals(a, b) || (a != null && b != null
        && !(a instanceof char[]) && !(b instanceof char[])
        && a.toString().trim().equals(b.toString().trim()));
  }

  private static String text(String key, Object value) {
    String s = value.toString().trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("setting " + key + " must not be empty");
    }
    return s;
  }

  private static int integer(String key, Object value) {
    if (value instanceof Integer i) {
      return i;
    }
    try {
      return Integer.parseInt(text(key, value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + key + " must be an integer, was '" + value + "'");
    }
  }

  private static boolean flag(String key, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = value.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw new IllegalArgumentException("setting " + key + " must be true or false, was '" + value + "'");
  }

  private static Duration duration(String key, Object value) {
    if (value instanceof Duration d) {
      return d;
    }
    try {
      return Duration.parse(text(key, value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("setting " + key + " must be an ISO-8601 duration such as P1D "
          + "or PT12H, was '" + value + "'");
    }
  }
}
