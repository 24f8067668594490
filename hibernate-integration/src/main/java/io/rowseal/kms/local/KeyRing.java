package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.KmsTables.CmkRow;
import io.rowseal.kms.local.KmsTables.EktRow;
import io.rowseal.kms.local.KmsTables.StateMac;
import io.rowseal.kms.local.KmsTables.StoredCmk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CMKs of one LocalKms: their in-memory image, kept equal to the durable tables, and the
 * cryptographic operations under them, served by the HSM domain.
 *
 * <p>Wrap blob: {@code 0x01 ‖ CMK version (u32) ‖ DeriveKeyWrapper output}, AAD = u32 len ‖ CMK id ‖
 * u32 version ‖ encryption context — the form of {@code InMemoryCmkProvider}.
 *
 * <p>Every CMK row is stored with its {@link CmkStateMac}, written with each change and checked
 * whenever the image is (re)loaded ({@link #restore}); the in-memory image is what LocalKms serves from,
 * so a row edited while it runs changes nothing until the next reload, which refuses it.
 *
 * <p>Several processes may share the tables. Each change runs {@link #mutating}: its writes are guarded
 * ({@link KmsTables}), and when another process changed the state first ({@link KmsTables.Stale}) the
 * image is reloaded from the tables ({@link #reload}) and the change decided again on what they now
 * hold. A CMK or CMK version this image does not know (made by another process) is looked up in the
 * tables before it is refused; state changes made elsewhere arrive with the next change, miss or
 * maintenance run. The image never goes back: a reload takes the tables, which only move forward.
 *
 * <p>Locking: cryptographic operations hold the read lock, every change (new CMK or version, state
 * change, domain-key rotation in {@link DomainKeyRotation}) the write lock, so no operation sees a
 * domain key being forgotten. Thread-safe.
 */
final class KeyRing {
  static final byte BLOB_VERSION = 1;
  /** How often one change is decided again after another process changed the state first. */
  static final int MAX_ATTEMPTS = 20;
  private static final int BLOB_HEADER = 5;
  private static final Logger LOG = LoggerFactory.getLogger(LocalKms.class);

  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  final Map<String, CmkEntry> cmks = new ConcurrentHashMap<>();
  final HsmDomain domain;
  final KmsTables tables;
  final Clock clock;
  private final RandomSource random;
  private volatile long generation;
  private volatile Instant generationCreatedAt;
  private volatile byte generationTokenVersion;
  private volatile boolean closed;

  KeyRing(HsmDomain domain, KmsTables tables, Clock clock, RandomSource random) {
    this.domain = domain;
    this.tables = tables;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Loads the CMKs from their rows; call once, before use, with the domain keys loaded. Every row's MAC
   * must verify: one that does not, or a row without a MAC in a domain whose current EDT is version 2,
   * fails the start with {@code RS-2015} naming every such CMK. Rows without a MAC in a domain still on
   * a version 1 EDT (written by an older rowseal) are trusted as they are and MACed now, with one WARN.
   */
  void restore(List<StoredCmk> cmkRows, List<EktRow> ektRows) {
    List<String> refused = new ArrayList<>();
    List<CmkRow> unauthenticated = new ArrayList<>();
    for (StoredCmk stored : cmkRows) {
      if (stored.mac() == null && legacyDomain()) {
        unauthenticated.add(stored.row());
      } else if (stored.mac() == null || !verifies(stored)) {
        refused.add(stored.row().id());
      }
    }
    if (!refused.isEmpty()) {
      throw new KmsException("RS-2015", "the rows of CMK " + refused.stream().map(id -> "'" + id + "'")
          .collect(Collectors.joining(", ")) + " in table " + tables.cmkTable() + " do not verify against their "
          + "MACs: the tables were modified outside LocalKms. Put back the values LocalKms wrote, or restore "
          + "the LocalKms tables from a backup");
    }
    for (StoredCmk stored : cmkRows) {
      CmkRow r = stored.row();
      List<EktRow> versions = ektRows.stream().filter(e -> e.cmkId().equals(r.id())).toList();
      for (int i = 0; i < versions.size(); i++) {
        if (versions.get(i).version() != i + 1) {
          throw new KmsException("RS-2013", "CMK '" + r.id() + "' misses EKT version " + (i + 1)
              + " in table " + tables.ektTable());
        }
      }
      if (versions.isEmpty() && r.state() != KeyState.DESTROYED) {
        throw new KmsException("RS-2013", "CMK '" + r.id() + "' is " + r.state() + " but has no EKT in table "
            + tables.ektTable());
      }
      long macGeneration = stored.mac() == null ? generation : stored.mac().generation();
      cmks.put(r.id(), new CmkEntry(r.id(), r.description(), r.state(), r.createdAt(), r.deletionDate(), versions,
          macGeneration));
    }
    for (CmkRow r : unauthenticated) {
      tables.adoptUnauthenticated(r.id(), stateMac(r, generation));
    }
    if (!unauthenticated.isEmpty()) {
      LOG.warn("LocalKms found {} CMK rows without a MAC in table {} (written by an earlier rowseal) and MACed "
          + "them as they are now (trust on first use: an edit made to them before this start is not "
          + "detected). The domain key is rotated now; from then on a row without a MAC is refused",
          unauthenticated.size(), tables.cmkTable());
      AuditLog.domainEvent("AdoptKeyStates", "generation=" + generation + " count=" + unauthenticated.size(), "ok");
    }
  }

  /**
   * True while the current DK generation came with a version 1 EDT (made by an older rowseal): CMK rows
   * without a MAC are then accepted once, and LocalKms rotates the domain key at start to end that.
   */
  boolean legacyDomain() {
    return generationTokenVersion < DomainToken.VERSION;
  }

  /** The MAC of {@code row} under DK {@code macGeneration}, made by an HSM. */
  StateMac stateMac(CmkRow row, long macGeneration) {
    try {
      return new StateMac(macGeneration, domain.pick().cmkStateMac(macGeneration, row));
    } catch (IntegrityException e) {
      throw new IllegalStateException("the HSMs do not hold the domain key " + macGeneration, e);
    }
  }

  private boolean verifies(StoredCmk stored) {
    try {
      return CmkStateMac.matches(domain.pick().cmkStateMac(stored.mac().generation(), stored.row()),
          stored.mac().mac());
    } catch (IntegrityException e) {
      return false; // no domain key of that generation is stored
    }
  }

  long generation() {
    return generation;
  }

  Instant generationCreatedAt() {
    return generationCreatedAt;
  }

  /**
   * Sets the current DK generation (new EKTs and MACs use it) and the version of its EDT; caller holds
   * the write lock or is starting.
   */
  void setGeneration(long generation, Instant createdAt, byte tokenVersion) {
    this.generation = generation;
    this.generationCreatedAt = createdAt;
    this.generationTokenVersion = tokenVersion;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  KeyMetadata createKey(String description) {
    String id = "cmk-" + UUID.randomUUID();
    return locked(lock.writeLock(), () -> mutating("create key", () -> {
      Instant now = now();
      EktRow first = newVersion(id, 1, now);
      CmkRow row = new CmkRow(id, description, KeyState.ENABLED, now, null);
      tables.insertCmk(row, stateMac(row, generation), first);
      CmkEntry entry = new CmkEntry(id, description, KeyState.ENABLED, now, null, List.of(first), generation);
      cmks.put(id, entry);
      return entry.metadata(now);
    }));
  }

  /** Adds a key-material version; new wraps use it, old blobs keep unwrapping. */
  KeyMetadata rotateKey(String cmkId) {
    missIfUnknown(cmkId, 0);
    return locked(lock.writeLock(), () -> mutating("rotate key", () -> {
      CmkEntry cmk = usable(cmkId, "rotate key");
      Instant now = now();
      EktRow row = newVersion(cmkId, cmk.currentVersion() + 1, now);
      tables.insertEkt(row, cmk);
      CmkEntry updated = cmk.withVersion(row);
      cmks.put(cmkId, updated);
      return updated.metadata(now);
    }));
  }

  DataKey generateDataKey(String cmkId, EncryptionContext context) {
    KeyMaterial key = KeyMaterial.random256Of(random);
    return new DataKey(key, wrap(cmkId, key, context));
  }

  byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    missIfUnknown(cmkId, 0);
    destroyIfDue(cmkId);
    return locked(lock.readLock(), () -> {
      CmkEntry cmk = usable(cmkId, "wrap");
      int v = cmk.currentVersion();
      try {
        byte[] wrapped = domain.pick().wrap(cmk.version(v).ekt(), cmk.binding(v), key, aad(cmkId, v, context));
        return ByteBuffer.allocate(BLOB_HEADER + wrapped.length).put(BLOB_VERSION).putInt(v).put(wrapped).array();
      } catch (IntegrityException e) {
        throw corruptToken(cmk.binding(v), e);
      }
    });
  }

  KeyMaterial unwrap(String cmkId, byte[] blob, EncryptionContext context) throws IntegrityException {
    missIfUnknown(cmkId, blobVersion(blob));
    destroyIfDue(cmkId);
    Lock read = lock.readLock();
    read.lock();
    try {
      CmkEntry cmk = usable(cmkId, "unwrap");
      int v = blobVersion(blob);
      if (v < 1 || v > cmk.currentVersion()) {
        throw new IntegrityException("wrapped key under CMK '" + cmkId + "' does not verify");
      }
      try {
        return domain.pick().unwrap(cmk.version(v).ekt(), cmk.binding(v), blob, BLOB_HEADER,
            blob.length - BLOB_HEADER, aad(cmkId, v, context));
      } catch (IntegrityException e) {
        throw new IntegrityException("wrapped key under CMK '" + cmkId + "' version " + v + " does not verify");
      }
    } finally {
      read.unlock();
    }
  }

  KeyMetadata describe(String cmkId) {
    missIfUnknown(cmkId, 0);
    destroyIfDue(cmkId);
    return find(cmkId).metadata(clock.instant());
  }

  /**
   * Moves {@code cmkId} to {@code target} if its current state is one of {@code from}; otherwise
   * {@link KmsException.InvalidKeyState}. Destroying is never done here (see {@link #destroyDue}).
   */
  KeyMetadata transition(String cmkId, String operation, KeyState target, Instant deletionDate,
      KeyState... from) {
    missIfUnknown(cmkId, 0);
    destroyIfDue(cmkId);
    return locked(lock.writeLock(), () -> mutating(operation, () -> {
      CmkEntry cmk = find(cmkId);
      Instant now = clock.instant();
      KeyState state = cmk.stateAt(now);
      if (!List.of(from).contains(state)) {
        throw new KmsException.InvalidKeyState(cmkId, state, operation);
      }
      if (state != target || deletionDate != null) {
        requireOpen(cmkId, operation);
        CmkEntry changed = cmk.withState(target, deletionDate, generation);
        tables.updateState(changed.row(), stateMac(changed.row(), generation), cmk);
        cmks.put(cmkId, changed);
        cmk = changed;
      }
      return cmk.metadata(now);
    }));
  }

  /** Destroys every CMK whose deletion date has passed: deletes its EKTs (crypto-shredding). */
  List<String> destroyDue() {
    Instant now = clock.instant();
    List<String> due = cmks.values().stream().filter(c -> c.destructionDue(now)).map(CmkEntry::id).toList();
    due.forEach(this::destroyIfDue);
    return due;
  }

  int cmkCount() {
    return (int) cmks.values().stream().filter(c -> c.state() != KeyState.DESTROYED).count();
  }

  private void destroyIfDue(String cmkId) {
    CmkEntry cmk = cmks.get(cmkId);
    if (cmk == null || !cmk.destructionDue(clock.instant())) {
      return;
    }
    locked(lock.writeLock(), () -> mutating("destroy", () -> {
      CmkEntry current = cmks.get(cmkId);
      if (current.destructionDue(clock.instant())) {
        requireOpen(cmkId, "destroy");
        CmkEntry destroyed = current.withState(KeyState.DESTROYED, current.deletionDate(), generation);
        tables.destroyCmk(destroyed.row(), stateMac(destroyed.row(), generation), current);
        cmks.put(cmkId, destroyed);
        AuditLog.domainEvent("DestroyKey", "cmkId=" + AuditLog.quote(cmkId), "ok");
      }
      return null;
    }));
  }

  /**
   * Runs {@code change} (caller holds the write lock); when another process changed the state first, the
   * image is reloaded and {@code change} runs again on it, at most {@link #MAX_ATTEMPTS} times in all.
   */
  <T> T mutating(String operation, java.util.function.Supplier<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        if (attempt > 1) {
          reload();
        }
        return change.get();
      } catch (KmsTables.Stale stale) {
        if (attempt == MAX_ATTEMPTS) {
          throw new KmsException("RS-2005", "LocalKms gave up on '" + operation + "' after " + MAX_ATTEMPTS
              + " attempts: each time another process sharing tables " + tables.prefix() + "* had changed the "
              + "state first (last: " + stale.getMessage() + ")", stale);
        }
      }
    }
  }

  /**
   * Replaces the image by what the tables hold now (caller holds the write lock, or is starting): every
   * stored EDT loaded into the HSMs, the newest one current, every CMK row verified against its MAC as at
   * start ({@link #restore}). Domain keys no stored EDT names any more are zeroed.
   */
  void reload() {
    KmsTables.State state = tables.state();
    List<KmsTables.EdtRow> tokens = state.tokens();
    if (tokens.isEmpty()) {
      throw new KmsException("RS-2013", "LocalKms state in tables " + tables.prefix() + "* is incomplete: no "
          + "domain token is stored, so no domain key can be loaded");
    }
    List<StoredCmk> cmkRows = state.cmks();
    List<EktRow> ektRows = state.ekts();
    requireForward(tokens.get(tokens.size() - 1).generation(), cmkRows, ektRows);
    for (KmsTables.EdtRow row : tokens) {
      try {
        if (domain.load(row.edt()) != row.generation()) {
          throw new IntegrityException("generation column does not match the token");
        }
      } catch (IntegrityException e) {
        throw new KmsException("RS-2013", "the HSMs refuse the domain token of generation " + row.generation()
            + " in table " + tables.domainTokenTable() + " (modified, or not issued by this domain's HSMs)", e);
      }
    }
    KmsTables.EdtRow current = tokens.get(tokens.size() - 1);
    long before = generation;
    setGeneration(current.generation(), current.createdAt(), DomainStartup.tokenVersion(current));
    restore(cmkRows, ektRows);
    domain.forgetBefore(tokens.get(0).generation());
    if (before != 0 && before != generation) {
      LOG.info("LocalKms took domain key generation {} from tables {}* (another process rotated it; this one "
          + "held {})", generation, tables.prefix(), before);
    }
  }

  /**
   * The tables only move forward: a reload that finds an older DK generation, a CMK gone, fewer versions
   * than the image holds, or a destroyed CMK back, is refused ({@code RS-2013}) and the image kept.
   */
  private void requireForward(long storedGeneration, List<StoredCmk> cmkRows, List<EktRow> ektRows) {
    List<String> back = new ArrayList<>();
    if (storedGeneration < generation) {
      back.add("domain key generation " + storedGeneration + " is the newest stored, this process uses " + generation);
    }
    Map<String, StoredCmk> stored = cmkRows.stream().collect(Collectors.toMap(c -> c.row().id(), c -> c));
    for (CmkEntry known : cmks.values()) {
      StoredCmk row = stored.get(known.id());
      long versions = ektRows.stream().filter(e -> e.cmkId().equals(known.id())).count();
      if (row == null) {
        back.add("CMK '" + known.id() + "' is gone");
      } else if (known.state() == KeyState.DESTROYED && row.row().state() != KeyState.DESTROYED) {
        back.add("CMK '" + known.id() + "' was destroyed and is " + row.row().state() + " again");
      } else if (row.row().state() != KeyState.DESTROYED && versions < known.currentVersion()) {
        back.add("CMK '" + known.id() + "' has " + versions + " versions, this process knows " + known.currentVersion());
      }
    }
    if (!back.isEmpty()) {
      throw new KmsException("RS-2013", "the LocalKms tables " + tables.prefix() + "* went back from what this "
          + "process loaded earlier (" + String.join("; ", back) + "): restored from an older backup, or edited "
          + "outside LocalKms. Nothing was reloaded; restart on the tables that belong to this domain");
    }
  }

  /** Reloads the image (maintenance: state changes made by other processes arrive here at the latest). */
  void refresh() {
    locked(lock.writeLock(), () -> {
      if (!closed && tables != null) {
        mutating("reload", () -> {
          reload();
          return null;
        });
      }
      return null;
    });
  }

  /**
   * A CMK this image does not hold, or a version above its newest ({@code version} 0: none asked), may have
   * been made by another process sharing the tables: reload before the request is served or refused.
   */
  private void missIfUnknown(String cmkId, int version) {
    if (cmkId == null || closed || tables == null) {
      return; // without tables (an in-memory ring) nothing is shared, so there is nothing to reload
    }
    CmkEntry cmk = cmks.get(cmkId);
    if (cmk == null || version > cmk.currentVersion()) {
      locked(lock.writeLock(), () -> {
        CmkEntry again = cmks.get(cmkId);
        if (!closed && (again == null || version > again.currentVersion())) {
          mutating("reload", () -> {
            reload();
            return null;
          });
        }
        return null;
      });
    }
  }

  private static int blobVersion(byte[] blob) {
    return blob.length > BLOB_HEADER && blob[0] == BLOB_VERSION ? ByteBuffer.wrap(blob, 1, 4).getInt() : 0;
  }

  private EktRow newVersion(String cmkId, int version, Instant createdAt) {
    requireOpen(cmkId, "new key version");
    KeyToken.Binding binding = new KeyToken.Binding(cmkId, version, createdAt);
    try {
      byte[] ekt = domain.pick().createKeyToken(binding, generation);
      return new EktRow(cmkId, version, generation, ekt, createdAt);
    } catch (IntegrityException e) {
      throw new IllegalStateException("the HSMs do not hold the current domain key " + generation, e);
    }
  }

  /** Zeroes every domain key once no operation is running; later operations fail. */
  void close() {
    locked(lock.writeLock(), () -> {
      closed = true;
      domain.forgetAll();
      return null;
    });
  }

  private void requireOpen(String cmkId, String operation) {
    if (closed) {
      throw new IllegalStateException("LocalKms is closed: " + operation + " of CMK '" + cmkId + "' refused");
    }
  }

  private CmkEntry usable(String cmkId, String operation) {
    requireOpen(cmkId, operation);
    CmkEntry cmk = find(cmkId);
    KeyState state = cmk.stateAt(clock.instant());
    if (state != KeyState.ENABLED) {
      throw new KmsException.InvalidKeyState(cmkId, state, operation);
    }
    return cmk;
  }

  CmkEntry find(String cmkId) {
    CmkEntry cmk = cmkId == null ? null : cmks.get(cmkId);
    if (cmk == null) {
      throw new KmsException.KeyNotFound(cmkId);
    }
    return cmk;
  }

  static KmsException corruptToken(KeyToken.Binding binding, IntegrityException cause) {
    return new KmsException("RS-2015", "the stored key token (EKT) of " + binding
        + " does not verify: the durable state was modified outside LocalKms", cause);
  }

  static <T> T locked(Lock l, java.util.function.Supplier<T> work) {
    l.lock();
    try {
      return work.get();
    } finally {
      l.unlock();
    }
  }

  private static byte[] aad(String cmkId, int version, EncryptionContext context) {
    byte[] id = cmkId.getBytes(StandardCharsets.UTF_8);
    byte[] ctx = context.toAad();
    return ByteBuffer.allocate(4 + id.length + 4 + ctx.length).putInt(id.length).put(id).putInt(version).put(ctx)
        .array();
  }
}
