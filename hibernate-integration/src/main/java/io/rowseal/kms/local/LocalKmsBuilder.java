package io.rowseal.kms.local;

import com.github.benmanes.caffeine.cache.Ticker;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.KmsException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link LocalKms}. Each setter checks its argument at once and may be called once; conflicts
 * are caught in {@link #build()}. Only {@link #dataSource} is required:
 * <ul>
 *   <li><b>Development</b> (no keystore, no passphrase): the HSM keys live in
 *       {@value #DEFAULT_DEV_KEYSTORE} (relative to the working directory) under the built-in passphrase
 *       {@value #DEV_PASSPHRASE}, and a WARN says so once. Anyone with that file can read every CMK:
 *       never use it for real data. So it runs only on an embedded H2 database (in memory or in a local
 *       file); on any other database {@link #build()} fails with {@code RS-2018} before anything is
 *       written, unless {@link #developmentKeys(boolean) developmentKeys(true)} opts in.</li>
 *   <li><b>Production</b>: {@code keystore(Path)} and {@code passphraseFromEnv("ROWSEAL_KMS_PASSPHRASE")}
 *       (or {@code passphrase(char[])}). A new keystore needs a passphrase of at least
 *       {@value #MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH} characters; one made earlier still opens with
 *       {@value #MIN_PASSPHRASE_LENGTH} or more, with a WARN. Back up the keystore with the database:
 *       without it the CMKs are lost.</li>
 * </ul>
 * Not thread-safe; a builder builds once.
 */
public final class LocalKmsBuilder {
  public static final int DEFAULT_HSM_COUNT = 3;
  public static final int MAX_HSM_COUNT = 16;
  public static final String DEFAULT_TABLE_PREFIX = "rowseal_kms_";
  public static final int DEFAULT_QUOTA = 10_000;
  public static final Duration DEFAULT_DOMAIN_KEY_ROTATION = Duration.ofDays(1);
  public static final String DEFAULT_DEV_KEYSTORE = ".rowseal/localkms.p12";
  public static final String DEV_PASSPHRASE = "rowseal-dev-only-not-a-secret";
  static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofMinutes(5);
  /** Shortest passphrase accepted at all: it still opens a keystore made by an earlier rowseal. */
  public static final int MIN_PASSPHRASE_LENGTH = 8;
  /** Shortest passphrase a new keystore is created with ({@code RS-2016} otherwise). */
  public static final int MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH = 16;
  private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
  private static final AtomicBoolean DEV_WARNED = new AtomicBoolean();

  private DataSource dataSource;
  private Path keystoreFile;
  private KeyStore keystoreInMemory;
  private char[] passphrase;
  private String passphraseEnv;
  private int hsmCount = -1;
  private String tablePrefix;
  private Clock clock;
  private Ticker ticker;
  private int quota = -1;
  private Duration rotationPeriod;
  private Boolean developmentKeys;
  private boolean built;
  private boolean databaseChecked;
  Duration maintenanceInterval = DEFAULT_MAINTENANCE_INTERVAL;
  UnaryOperator<String> environment = System::getenv;
  Path devKeystore = Path.of(DEFAULT_DEV_KEYSTORE);
  RandomSource random = RandomSource.secure();
  DomainKeyRotation.Hook rotationHook = row -> { };
  byte domainTokenVersion = DomainToken.VERSION;

  LocalKmsBuilder() {}

  /** The application's DataSource; LocalKms keeps its tables there. Required. */
  public LocalKmsBuilder dataSource(DataSource dataSource) {
    requireUnset(this.dataSource == null, "dataSource was already set to %s", this.dataSource);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    return this;
  }

  /** The PKCS#12 file of the HSMs' private keys; created on the first run if absent. */
  public LocalKmsBuilder keystore(Path file) {
    requireUnset(keystoreFile == null && keystoreInMemory == null, "keystore was already set to %s",
        keystoreFile != null ? keystoreFile : "an in-memory KeyStore");
    this.keystoreFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /** An in-memory PKCS#12 {@link KeyStore} (loaded, e.g. {@code load(null, null)}), for tests. */
  public LocalKmsBuilder keystore(KeyStore inMemory) {
    requireUnset(keystoreFile == null && keystoreInMemory == null, "keystore was already set to %s",
        keystoreFile != null ? keystoreFile : "an in-memory KeyStore");
    Objects.requireNonNull(inMemory, "inMemory");
    if (!"PKCS12".equalsIgnoreCase(inMemory.getType())) {
      throw new IllegalArgumentException("keystore must be of type PKCS12, was " + inMemory.getType());
    }
    this.keystoreInMemory = inMemory;
    return this;
  }

  /**
   * The keystore passphrase; copied (zero your array after this call). At least
   * {@value #MIN_PASSPHRASE_LENGTH} characters here; {@link #build()} creates a new keystore only under
   * {@value #MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH} or more.
   */
  public LocalKmsBuilder passphrase(char[] passphrase) {
    requireUnset(this.passphrase == null && passphraseEnv == null, "passphrase was already set%s",
        passphraseEnv != null ? " (from environment variable " + passphraseEnv + ")" : "");
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new IllegalArgumentException("passphrase must have at least " + MIN_PASSPHRASE_LENGTH
          + " characters, had " + passphrase.length);
    }
    this.passphrase = passphrase.clone();
    return this;
  }

  /** Reads the keystore passphrase from environment variable {@code name} at {@link #build()}. */
  public LocalKmsBuilder passphraseFromEnv(String name) {
    requireUnset(passphrase == null && passphraseEnv == null, "passphrase was already set%s",
        passphraseEnv != null ? " (from environment variable " + passphraseEnv + ")" : "");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("environment variable name must not be blank");
    }
    this.passphraseEnv = name;
    return this;
  }

  /** Number of HSMs in the domain, 1 to {@value #MAX_HSM_COUNT}; default {@value #DEFAULT_HSM_COUNT}. */
  public LocalKmsBuilder hsmCount(int hsmCount) {
    requireUnset(this.hsmCount == -1, "hsmCount was already set to %s", this.hsmCount);
    if (hsmCount < 1 || hsmCount > MAX_HSM_COUNT) {
      throw new IllegalArgumentException("hsmCount must be between 1 and " + MAX_HSM_COUNT + ", was " + hsmCount);
    }
    this.hsmCount = hsmCount;
    return this;
  }

  /** Prefix of the four table names; default {@value #DEFAULT_TABLE_PREFIX}. */
  public LocalKmsBuilder tablePrefix(String prefix) {
    requireUnset(tablePrefix == null, "tablePrefix was already set to %s", tablePrefix);
    if (prefix == null || !TABLE_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("tablePrefix must be a letter followed by at most 39 letters, "
          + "digits or '_', was '" + prefix + "'");
    }
    this.tablePrefix = prefix;
    return this;
  }

  /** The clock of key dates and rotation schedules; default UTC system clock. */
  public LocalKmsBuilder clock(Clock clock) {
    requireUnset(this.clock == null, "clock was already set to %s", this.clock);
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The time source of the request quota; default {@link Ticker#systemTicker()}. */
  public LocalKmsBuilder ticker(Ticker ticker) {
    requireUnset(this.ticker == null, "ticker was already set to %s", this.ticker);
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /** Requests per second before {@code Throttled}; default {@value #DEFAULT_QUOTA}. */
  public LocalKmsBuilder quota(int requestsPerSecond) {
    requireUnset(quota == -1, "quota was already set to %s", quota);
    if (requestsPerSecond <= 0) {
      throw new IllegalArgumentException("quota must be positive, was " + requestsPerSecond);
    }
    this.quota = requestsPerSecond;
    return this;
  }

  /** How old the domain key may get before it is rotated; default one day, at least one minute. */
  public LocalKmsBuilder domainKeyRotationPeriod(Duration period) {
    requireUnset(rotationPeriod == null, "domainKeyRotationPeriod was already set to %s", rotationPeriod);
    if (period == null || period.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("domainKeyRotationPeriod must be at least 1 minute, was " + period);
    }
    this.rotationPeriod = period;
    return this;
  }

  /**
   * Whether the development setup may run on a database other than an embedded H2 — a shared
   * development or CI database; default false. Only meaningful without a keystore: setting it to true
   * together with one is an error in {@link #build()}.
   */
  public LocalKmsBuilder developmentKeys(boolean onAnyDatabase) {
    requireUnset(developmentKeys == null, "developmentKeys was already set to %s", developmentKeys);
    this.developmentKeys = onAnyDatabase;
    return this;
  }

  /**
   * Runs {@link #build()}'s checks — the settings' conflicts and, in the development setup, the database
   * ({@code RS-2018}) — without opening the keystore or touching a table: cheap, for a caller that builds on
   * another thread and wants the refusals that keep nothing to come first. {@link #build()} runs them too.
   */
  public LocalKmsBuilder check() {
    if (built) {
      throw new IllegalStateException("this builder was already used; make a new one");
    }
    if (dataSource == null) {
      throw new IllegalStateException("dataSource must be set");
    }
    boolean keystoreSet = keystoreFile != null || keystoreInMemory != null;
    boolean passphraseSet = passphrase != null || passphraseEnv != null;
    if (keystoreSet && !passphraseSet) {
      throw new IllegalStateException("keystore was set to " + (keystoreFile != null ? keystoreFile
          : "an in-memory KeyStore") + " but no passphrase; call passphrase(char[]) or passphraseFromEnv(String)");
    }
    if (!keystoreSet && passphraseSet) {
      throw new IllegalStateException("a passphrase was set but no keystore; call keystore(Path)");
    }
    if (keystoreSet && Boolean.TRUE.equals(developmentKeys)) {
      throw new IllegalStateException("developmentKeys(true) was set together with keystore " + (keystoreFile
          != null ? keystoreFile : "an in-memory KeyStore") + "; the development keys are not used with a "
          + "keystore, remove one of the two");
    }
    if (!keystoreSet && !Boolean.TRUE.equals(developmentKeys) && !databaseChecked) {
      // Before the keystore file or any table exists: a refused database keeps nothing of this start.
      DevelopmentDatabase.requireEmbedded(dataSource);
      databaseChecked = true;
    }
    return this;
  }

  /** Opens (or on a first run creates) the domain and returns the running LocalKms. */
  public LocalKms build() {
    check();
    built = true;
    boolean development = keystoreFile == null && keystoreInMemory == null;
    HsmKeystore keystore = keystoreInMemory != null ? HsmKeystore.inMemory(keystoreInMemory)
        : HsmKeystore.file(development ? devKeystore : keystoreFile);
    if (development && DEV_WARNED.compareAndSet(false, true)) {
      LoggerFactory.getLogger(LocalKms.class).warn("LocalKms runs in its development setup: the HSM keys "
          + "are in {} under the built-in passphrase. Do not use it for real data; configure a keystore "
          + "and a passphrase (rowseal.kms.local.keystore, rowseal.kms.local.passphrase-env)", keystore);
    }
    char[] secret = development ? DEV_PASSPHRASE.toCharArray() : passphrase != null ? passphrase : fromEnv();
    passphrase = null;
    return new LocalKms(new LocalKmsConfig(dataSource, keystore, secret, development,
        hsmCount == -1 ? DEFAULT_HSM_COUNT : hsmCount, hsmCount != -1,
        tablePrefix == null ? DEFAULT_TABLE_PREFIX : tablePrefix,
        clock == null ? Clock.systemUTC() : clock, ticker == null ? Ticker.systemTicker() : ticker,
        quota == -1 ? DEFAULT_QUOTA : quota, rotationPeriod == null ? DEFAULT_DOMAIN_KEY_ROTATION : rotationPeriod,
        maintenanceInterval, random, rotationHook, domainTokenVersion));
  }

  private char[] fromEnv() {
    String value = environment.apply(passphraseEnv);
    if (value == null || value.isEmpty()) {
      throw new KmsException("RS-2016", "environment variable " + passphraseEnv
          + " (the keystore passphrase, set by passphraseFromEnv) is not set or empty");
    }
    if (value.length() < MIN_PASSPHRASE_LENGTH) {
      throw new KmsException("RS-2016", "environment variable " + passphraseEnv + " holds a passphrase of "
          + value.length() + " characters; at least " + MIN_PASSPHRASE_LENGTH + " are required");
    }
    return value.toCharArray();
  }

  private static void requireUnset(boolean unset, String format, Object value) {
    if (!unset) {
      throw new IllegalStateException(String.format(format, value));
    }
  }

  @Override
  public String toString() {
    return "LocalKmsBuilder(keystore=" + (keystoreFile != null ? keystoreFile : keystoreInMemory != null
        ? "in-memory" : "development default") + ", passphrase=" + (passphrase != null ? "set"
        : passphraseEnv != null ? "env " + passphraseEnv : "unset") + ")";
  }
}
