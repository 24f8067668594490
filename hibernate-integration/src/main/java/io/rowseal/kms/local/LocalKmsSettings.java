package io.rowseal.kms.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code rowseal.kms.local.*} settings (Hibernate properties, {@code persistence.xml},
 * {@code spring.jpa.properties.*}) onto a {@link LocalKmsBuilder}. Keys not starting with the prefix
 * are ignored; an unknown key under it is an error, so a typo does not silently fall back to the
 * development setup.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code rowseal.kms.local.keystore}</td><td>path of the PKCS#12 file</td>
 *       <td>development setup</td></tr>
 *   <tr><td>{@code rowseal.kms.local.passphrase_env}</td><td>name of the environment variable that
 *       holds the passphrase (preferred)</td><td>–</td></tr>
 *   <tr><td>{@code rowseal.kms.local.passphrase}</td><td>the passphrase itself (String or char[])</td>
 *       <td>–</td></tr>
 *   <tr><td>{@code rowseal.kms.local.hsm_count}</td><td>1..16</td><td>3</td></tr>
 *   <tr><td>{@code rowseal.kms.local.table_prefix}</td><td>table name prefix</td>
 *       <td>{@code rowseal_kms_}</td></tr>
 *   <tr><td>{@code rowseal.kms.local.quota}</td><td>requests per second</td><td>10000</td></tr>
 *   <tr><td>{@code rowseal.kms.local.domain_key_rotation}</td><td>ISO-8601 duration, e.g.
 *       {@code P1D}, {@code PT12H}</td><td>{@code P1D}</td></tr>
 * </table>
 */
final class LocalKmsSettings {
  static final String PREFIX = "rowseal.kms.local.";
  static final String KEYSTORE = PREFIX + "keystore";
  static final String PASSPHRASE = PREFIX + "passphrase";
  static final String PASSPHRASE_ENV = PREFIX + "passphrase_env";
  static final String HSM_COUNT = PREFIX + "hsm_count";
  static final String TABLE_PREFIX = PREFIX + "table_prefix";
  static final String QUOTA = PREFIX + "quota";
  static final String DOMAIN_KEY_ROTATION = PREFIX + "domain_key_rotation";
  static final List<String> KNOWN = List.of(KEYSTORE, PASSPHRASE, PASSPHRASE_ENV, HSM_COUNT, TABLE_PREFIX,
      QUOTA, DOMAIN_KEY_ROTATION);

  private LocalKmsSettings() {}

  static LocalKmsBuilder apply(Map<String, ?> settings, LocalKmsBuilder builder) {
    for (var e : settings.entrySet()) {
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
        default -> throw new IllegalArgumentException("unknown setting " + key + "; known settings: " + KNOWN);
      }
    }
    return builder;
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
