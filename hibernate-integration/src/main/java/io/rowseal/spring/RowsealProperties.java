package io.rowseal.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code rowseal.*} setting as Spring Boot sees it: the source of the configuration metadata
 * ({@code META-INF/spring-configuration-metadata.json}, generated from this class by
 * {@code spring-boot-configuration-processor}) that gives IDEs completion, types, descriptions and
 * defaults. The keys are exactly the Hibernate settings of docs/HIBERNATE.md, section 5.
 *
 * <p>Four keys are not fields here, because each is both a value and the prefix of other keys (or an
 * instance only), which a Java bean cannot hold: {@code rowseal.kms}, {@code rowseal.row-signature},
 * {@code rowseal.keystore} and {@code rowseal.envelope}. Their metadata is in
 * {@code META-INF/additional-spring-configuration-metadata.json}. For the same reason rowseal does not
 * bind this class as a whole: {@link RowsealAutoConfiguration} reads each key on its own with Spring's
 * {@code Binder} (relaxed binding: {@code ROWSEAL_KMS_LOCAL_PASSPHRASE_ENV},
 * {@code rowseal.kms.local.passphraseEnv} and {@code rowseal.kms.local.passphrase-env} are one key) and
 * hands the values to Hibernate, where rowseal validates them as it does every Hibernate setting.
 */
@ConfigurationProperties(prefix = "rowseal")
public class RowsealProperties {
  /**
   * Branch-key id rows are written under; encrypted columns are sized for it.
   */
  private String branchKeyId = "default";

  /**
   * CMK that wraps new branch-key versions: for rowseal.kms=aws the key's ARN, for pkcs11 the key's label.
   * Default: the existing one, or one the embedded LocalKms creates on first use.
   */
  private String cmkId;

  /**
   * CMKs that wrapped older branch-key versions and may still unwrap them: those used before cmk-id was
   * switched. A version under any other CMK is refused (RS-1006, RS-3003).
   */
  private List<String> previousCmkIds = new ArrayList<>();

  /**
   * Start-up check of the encrypted columns' types and sizes: fail, warn or off.
   */
  private ColumnCheck columnCheck = ColumnCheck.FAIL;

  /**
   * Whether each tenant's rows go under a branch key of their own (Hibernate multi-tenancy).
   */
  private boolean branchKeyPerTenant = false;

  /**
   * The longest tenant id a per-tenant branch key is named after; encrypted columns are sized for it.
   */
  private int tenantIdMaxLength = 32;

  private final Cache cache = new Cache();
  private final Keystore keystore = new Keystore();
  private final RowSignature rowSignature = new RowSignature();
  private final Transition transition = new Transition();
  private final Kms kms = new Kms();
  private final Health health = new Health();

  /** What {@code rowseal.column-check} accepts. */
  public enum ColumnCheck { FAIL, WARN, OFF }

  public String getBranchKeyId() {
    return branchKeyId;
  }

  public void setBranchKeyId(String branchKeyId) {
    this.branchKeyId = branchKeyId;
  }

  public String getCmkId() {
    return cmkId;
  }

  public void setCmkId(String cmkId) {
    this.cmkId = cmkId;
  }

  public List<String> getPreviousCmkIds() {
    return previousCmkIds;
  }

  public void setPreviousCmkIds(List<String> previousCmkIds) {
    this.previousCmkIds = previousCmkIds;
  }

  public ColumnCheck getColumnCheck() {
    return columnCheck;
  }

  public void setColumnCheck(ColumnCheck columnCheck) {
    this.columnCheck = columnCheck;
  }

  public boolean isBranchKeyPerTenant() {
    return branchKeyPerTenant;
  }

  public void setBranchKeyPerTenant(boolean branchKeyPerTenant) {
    this.branchKeyPerTenant = branchKeyPerTenant;
  }

  public int getTenantIdMaxLength() {
    return tenantIdMaxLength;
  }

  public void setTenantIdMaxLength(int tenantIdMaxLength) {
    this.tenantIdMaxLength = tenantIdMaxLength;
  }

  public Cache getCache() {
    return cache;
  }

  public Keystore getKeystore() {
    return keystore;
  }

  public RowSignature getRowSignature() {
    return rowSignature;
  }

  public Transition getTransition() {
    return transition;
  }

  public Kms getKms() {
    return kms;
  }

  public Health getHealth() {
    return health;
  }

  /** {@code rowseal.health.*}: the health check (the Actuator {@code rowseal} component, docs/OBSERVABILITY.md). */
  public static class Health {
    /**
     * How often the health check may send the KMS its probe request; checks in between answer from the last
     * probe, so frequent polling costs a paid KMS nothing more.
     */
    private Duration probeInterval = Duration.ofSeconds(30);

    /**
     * How long the health probe waits for the KMS before reporting it unreachable.
     */
    private Duration probeTimeout = Duration.ofSeconds(5);

    public Duration getProbeInterval() {
      return probeInterval;
    }

    public void setProbeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
    }

    public Duration getProbeTimeout() {
      return probeTimeout;
    }

    public void setProbeTimeout(Duration probeTimeout) {
      this.probeTimeout = probeTimeout;
    }
  }

  /** {@code rowseal.cache.*}: the key caches. */
  public static class Cache {
    /**
     * How long an unwrapped branch key is cached (e.g. 5m or PT5M); a KMS outage shorter than this goes unnoticed.
     */
    private Duration branchKeyTtl = Duration.ofMinutes(5);

    /**
     * How long an unwrapped row data key is cached for reads.
     */
    private Duration dekTtl = Duration.ofMinutes(5);

    /**
     * How many row data keys are cached for reads; 0 disables the cache.
     */
    private long dekMaxSize = 10_000;

    public Duration getBranchKeyTtl() {
      return branchKeyTtl;
    }

    public void setBranchKeyTtl(Duration branchKeyTtl) {
      this.branchKeyTtl = branchKeyTtl;
    }

    public Duration getDekTtl() {
      return dekTtl;
    }

    public void setDekTtl(Duration dekTtl) {
      this.dekTtl = dekTtl;
    }

    public long getDekMaxSize() {
      return dekMaxSize;
    }

    public void setDekMaxSize(long dekMaxSize) {
      this.dekMaxSize = dekMaxSize;
    }
  }

  /** {@code rowseal.keystore.*}: the default JDBC branch-key store. */
  public static class Keystore {
    /**
     * Table of the default JDBC branch-key store, in the application's database.
     */
    private String table = "rowseal_branch_keys";

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }
  }

  /** {@code rowseal.row-signature.*}: the signed row footer. */
  public static class RowSignature {
    /**
     * Name of the row footer column.
     */
    private String column = "rowseal_sig";

    /**
     * Whether a row without a footer (written before footers existed) fails to load.
     */
    private boolean require = true;

    public String getColumn() {
      return column;
    }

    public void setColumn(String column) {
      this.column = column;
    }

    public boolean isRequire() {
      return require;
    }

    public void setRequire(boolean require) {
      this.require = require;
    }
  }

  /** {@code rowseal.transition.*}: tables that held plaintext before rowseal (docs/MIGRATION.md). */
  public static class Transition {
    /**
     * Whether a value in an encrypted column that is not a rowseal value is read as the column's legacy
     * plaintext, until the migration job has encrypted it. Otherwise it is an integrity failure.
     */
    private boolean readPlaintext = false;

    public boolean isReadPlaintext() {
      return readPlaintext;
    }

    public void setReadPlaintext(boolean readPlaintext) {
      this.readPlaintext = readPlaintext;
    }
  }

  /** {@code rowseal.kms.*}: the settings of each key backend ({@code rowseal.kms} itself chooses one). */
  public static class Kms {
    private final Local local = new Local();
    private final Aws aws = new Aws();
    private final Pkcs11 pkcs11 = new Pkcs11();

    public Local getLocal() {
      return local;
    }

    public Aws getAws() {
      return aws;
    }

    public Pkcs11 getPkcs11() {
      return pkcs11;
    }
  }

  /** {@code rowseal.kms.local.*}: the embedded LocalKms (rowseal.kms=local, the default). */
  public static class Local {
    /**
     * Path of LocalKms's PKCS#12 keystore (the HSMs' key pairs). Unset: the development setup, a keystore
     * in ./.rowseal/ under a published passphrase, on an embedded H2 only.
     */
    private String keystore;

    /**
     * The keystore passphrase itself; prefer passphrase-env.
     */
    private String passphrase;

    /**
     * Name of the environment variable that holds the keystore passphrase.
     */
    private String passphraseEnv;

    /**
     * How many software HSMs the domain has (1 to 16).
     */
    private int hsmCount = 3;

    /**
     * Prefix of LocalKms's tables in the application's database.
     */
    private String tablePrefix = "rowseal_kms_";

    /**
     * KMS requests per second LocalKms serves before refusing with RS-2003, like a cloud KMS's quota.
     */
    private int quota = 10_000;

    /**
     * How often the domain key rotates: 1d, 12h, or ISO-8601 (P1D, PT12H).
     */
    private Duration domainKeyRotation = Duration.ofDays(1);

    /**
     * Whether, without a keystore, the development setup runs on any database, not only on an embedded
     * H2. For a development database only.
     */
    private boolean developmentKeys = false;

    public String getKeystore() {
      return keystore;
    }

    public void setKeystore(String keystore) {
      this.keystore = keystore;
    }

    public String getPassphrase() {
      return passphrase;
    }

    public void setPassphrase(String passphrase) {
      this.passphrase = passphrase;
    }

    public String getPassphraseEnv() {
      return passphraseEnv;
    }

    public void setPassphraseEnv(String passphraseEnv) {
      this.passphraseEnv = passphraseEnv;
    }

    public int getHsmCount() {
      return hsmCount;
    }

    public void setHsmCount(int hsmCount) {
      this.hsmCount = hsmCount;
    }

    public String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public int getQuota() {
      return quota;
    }

    public void setQuota(int quota) {
      this.quota = quota;
    }

    public Duration getDomainKeyRotation() {
      return domainKeyRotation;
    }

    public void setDomainKeyRotation(Duration domainKeyRotation) {
      this.domainKeyRotation = domainKeyRotation;
    }

    public boolean isDevelopmentKeys() {
      return developmentKeys;
    }

    public void setDevelopmentKeys(boolean developmentKeys) {
      this.developmentKeys = developmentKeys;
    }
  }

  /** {@code rowseal.kms.aws.*}: AWS KMS (rowseal.kms=aws, needs software.amazon.awssdk:kms). */
  public static class Aws {
    /**
     * AWS region, e.g. eu-west-1. Default: the AWS SDK's default region chain.
     */
    private String region;

    /**
     * Endpoint URL replacing the region's (VPC endpoints, tests). Default: the SDK's own.
     */
    private String endpoint;

    public String getRegion() {
      return region;
    }

    public void setRegion(String region) {
      this.region = region;
    }

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** {@code rowseal.kms.pkcs11.*}: a PKCS#11 token through SunPKCS11 (rowseal.kms=pkcs11). */
  public static class Pkcs11 {
    /**
     * Path of the token's PKCS#11 library (.so, .dll, .dylib). Required with rowseal.kms=pkcs11.
     */
    private String library;

    /**
     * Slot id of the token, as the library numbers it. Required with rowseal.kms=pkcs11.
     */
    private Long slot;

    /**
     * Name of the environment variable that holds the token's user PIN (a PIN is never a setting).
     * Required with rowseal.kms=pkcs11.
     */
    private String pinEnv;

    public String getLibrary() {
      return library;
    }

    public void setLibrary(String library) {
      this.library = library;
    }

    public Long getSlot() {
      return slot;
    }

    public void setSlot(Long slot) {
      this.slot = slot;
    }

    public String getPinEnv() {
      return pinEnv;
    }

    public void setPinEnv(String pinEnv) {
      this.pinEnv = pinEnv;
    }
  }
}
