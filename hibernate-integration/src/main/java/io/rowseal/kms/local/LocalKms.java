package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.KmsUsage.Operation;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link CmkProvider}: an in-process model of AWS KMS's HSM domain
 * (Campagna–Gueron 2019), keeping its durable state in tables of the application's database. See
 * {@code docs/KEY-HIERARCHY.md}.
 * <ul>
 *   <li>A domain of N software HSMs (default 3), each with its own P-256 key pair, kept in a PKCS#12
 *       keystore. HSMs hold key material only in memory and start with none.</li>
 *   <li>A domain key (AES-256) shared among them as a signed Exported Domain Token, rotated daily:
 *       every EKT is then re-sealed under the new key; an interrupted rotation resumes.</li>
 *   <li>CMKs made inside an HSM and stored only as Exported Key Tokens (AES-256-GCM under the domain
 *       key); wraps under a CMK use derive-key mode. CMK rotation adds versions; old blobs still
 *       unwrap.</li>
 *   <li>Each CMK's row (state, dates, description) carries a MAC under a key derived from the domain
 *       key, so a row edited in the database stops the next start ({@code RS-2015}) instead of
 *       re-enabling a key or moving its deletion.</li>
 *   <li>Key states as in AWS KMS (enabled, disabled, pending deletion for 7 to 30 days, destroyed);
 *       a request quota (token bucket, default 10,000/s) answered with {@link KmsException.Throttled};
 *       per-operation counters ({@link #usage()}); an audit event per request on logger
 *       {@code rowseal.audit}.</li>
 * </ul>
 * Thread-safe. Several processes may share one set of tables (an application and its migration job,
 * several instances): every change is a guarded write that another process's change makes a reload and a
 * retry instead of an overwrite ({@link KmsTables}, {@link KeyRing}), so only one of them rotates the
 * domain key, and a CMK or version made elsewhere is found on the first request that names it. Close it
 * to stop the maintenance thread and zero the domain keys.
 */
public final class LocalKms implements CmkProvider, AutoCloseable {
  /** Shortest waiting period {@link #scheduleDeletion} accepts (AWS KMS's minimum). */
  public static final Duration MIN_DELETION_WAITING_PERIOD = Duration.ofDays(7);
  /** Longest waiting period {@link #scheduleDeletion} accepts (AWS KMS's maximum). */
  public static final Duration MAX_DELETION_WAITING_PERIOD = Duration.ofDays(30);
  private static final Logger LOG = LoggerFactory.getLogger(LocalKms.class);

  private final KeyRing ring;
  private final DomainKeyRotation rotation;
  private final RequestGate gate;
  private final ScheduledExecutorService maintenance;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String name;

  LocalKms(LocalKmsConfig config) {
    try {
      this.ring = DomainStartup.open(config, new KmsTables(config.dataSource(), config.tablePrefix()));
    } finally {
      Arrays.fill(config.passphrase(), '\0');
    }
    this.rotation = new DomainKeyRotation(ring, config.domainKeyRotationPeriod(), config.rotationHook());
    this.gate = new RequestGate(new TokenBucket(config.quota(), config.ticker()));
    this.name = "LocalKms(" + config.tablePrefix() + "*, " + ring.domain.size() + " HSMs"
        + (config.development() ? ", development setup" : "") + ")";
    if (ring.legacyDomain()) {
      // The current EDT was issued by a rowseal that did not MAC CMK rows: rotating issues a version 2
      // EDT, after which a row without a MAC is refused instead of trusted on first use.
      try {
        rotation.rotateIfLegacy();
      } catch (RuntimeException e) {
        LOG.error("{}: the domain key could not be rotated to end the trust on first use of CMK rows without "
            + "a MAC; such rows stay accepted until a rotation succeeds", name, e);
      }
    } else {
      try {
        rotation.finishPending();
      } catch (RuntimeException e) {
        LOG.error("{}: an interrupted domain-key rotation could not be finished; the older domain key stays "
            + "in use for the EKTs named below until it is", name, e);
      }
    }
    this.maintenance = config.maintenanceInterval() == null ? null : startMaintenance(config.maintenanceInterval());
  }

  /** A builder; only {@code dataSource} is required. */
  public static LocalKmsBuilder builder() {
    return new LocalKmsBuilder();
  }

  /** A LocalKms from {@code rowseal.kms.local.*} settings (listed in docs/KEY-HIERARCHY.md); other keys are ignored. */
  public static LocalKms fromSettings(Map<String, ?> settings, DataSource dataSource) {
    return LocalKmsSettings.apply(settings, builder().dataSource(dataSource)).build();
  }

  @Override
  public KeyMetadata createKey(String description) {
    String d = description == null ? "" : description;
    if (d.length() > 1024) {
      throw new IllegalArgumentException("description must have at most 1024 characters, had " + d.length());
    }
    return gate.callUnchecked(Operation.CREATE_KEY, null, null, () -> open().createKey(d));
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    Objects.requireNonNull(context, "context");
    return gate.callUnchecked(Operation.GENERATE_DATA_KEY, cmkId, context,
        () -> open().generateDataKey(cmkId, context));
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(context, "context");
    return gate.callUnchecked(Operation.WRAP, cmkId, context, () -> open().wrap(cmkId, key, context));
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(context, "context");
    return gate.call(Operation.UNWRAP, cmkId, context, () -> open().unwrap(cmkId, wrapped, context));
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    return gate.callUnchecked(Operation.DESCRIBE, cmkId, null, () -> open().describe(cmkId));
  }

  /**
   * Schedules destruction after {@code waitingPeriod}, which must be 7 to 30 days as in AWS KMS. The
   * key refuses every cryptographic operation at once; {@link #cancelKeyDeletion} brings it back
   * disabled. When the period has passed, its EKTs are deleted: data under it is unreadable.
   */
  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    if (waitingPeriod == null || waitingPeriod.compareTo(MIN_DELETION_WAITING_PERIOD) < 0
        || waitingPeriod.compareTo(MAX_DELETION_WAITING_PERIOD) > 0) {
      throw new IllegalArgumentException("waiting period must be between " + MIN_DELETION_WAITING_PERIOD.toDays()
          + " and " + MAX_DELETION_WAITING_PERIOD.toDays() + " days, was " + waitingPeriod);
    }
    return gate.callUnchecked(Operation.SCHEDULE_DELETION, cmkId, null, () -> open().transition(cmkId,
        "schedule deletion", KeyState.PENDING_DELETION, ring.now().plus(waitingPeriod),
        KeyState.ENABLED, KeyState.DISABLED));
  }

  /** Ends a pending deletion; the key becomes DISABLED (as in AWS KMS). */
  public KeyMetadata cancelKeyDeletion(String cmkId) {
    return gate.callUnchecked(Operation.CANCEL_DELETION, cmkId, null, () -> open().transition(cmkId,
        "cancel deletion", KeyState.DISABLED, null, KeyState.PENDING_DELETION));
  }

  /** Enables a disabled key (no-op when enabled). */
  public KeyMetadata enableKey(String cmkId) {
    return gate.callUnchecked(Operation.ENABLE, cmkId, null, () -> open().transition(cmkId,
        "enable", KeyState.ENABLED, null, KeyState.ENABLED, KeyState.DISABLED));
  }

  /** Disables an enabled key: it refuses cryptographic operations until enabled; nothing is lost. */
  public KeyMetadata disableKey(String cmkId) {
    return gate.callUnchecked(Operation.DISABLE, cmkId, null, () -> open().transition(cmkId,
        "disable", KeyState.DISABLED, null, KeyState.ENABLED, KeyState.DISABLED));
  }

  /** Adds a new key-material version to an enabled CMK: new wraps use it, older blobs still unwrap. */
  public KeyMetadata rotateKey(String cmkId) {
    return gate.callUnchecked(Operation.ROTATE_KEY, cmkId, null, () -> open().rotateKey(cmkId));
  }

  /**
   * Rotates the domain key now: a new DK and EDT, every EKT re-sealed under it, the old EDT deleted.
   * Returns the new DK generation. Also runs daily (by default) on the maintenance thread.
   */
  public long rotateDomainKey() {
    open();
    return rotation.rotate();
  }

  /** The current domain-key generation (1 on a fresh domain, +1 per rotation). */
  public long domainKeyGeneration() {
    return ring.generation();
  }

  /** Requests served and refused so far, and the live CMK count. */
  public KmsUsage usage() {
    return gate.usage(ring.cmkCount());
  }

  /**
   * The due-check of the maintenance thread: reloads the image (changes other processes sharing the tables
   * made), destroys CMKs past their deletion date, rotates the DK when due.
   */
  void runMaintenance() {
    open();
    ring.refresh();
    ring.destroyDue();
    rotation.rotateIfDue();
  }

  KeyRing keyRing() {
    return ring;
  }

  boolean maintenanceRunning() {
    return maintenance != null && !maintenance.isShutdown();
  }

  /** Stops the maintenance thread and zeroes the domain keys; later calls fail. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (maintenance != null) {
      maintenance.shutdownNow();
      try {
        maintenance.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ring.close();
  }

  private KeyRing open() {
    if (closed.get()) {
      throw new IllegalStateException(name + " is closed");
    }
    return ring;
  }

  private ScheduledExecutorService startMaintenance(Duration interval) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rowseal-localkms-maintenance");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        runMaintenance();
      } catch (RuntimeException e) {
        // A thrown exception would cancel the schedule; log and try again next time.
        LOG.warn("{}: maintenance failed, retrying in {}", name, interval, e);
      }
    }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    return s;
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public String toString() {
    return name + (closed.get() ? " (closed)" : "");
  }
}
