package io.rowseal.kms;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CmkProvider} that keeps its CMKs in memory only: for tests and benchmarks, never for data
 * that must outlive the process (use {@code LocalKms} or a real KMS). It wraps in derive-key mode like
 * the real providers, honours key states, and counts every call per {@link Operation}.
 *
 * <p>Blob form: {@code 0x01 ‖ cmkVersion(4) ‖ DeriveKeyWrapper output}; AAD = CMK id, version and the
 * encryption context. Thread-safe.
 */
public final class InMemoryCmkProvider implements CmkProvider {

  /** The operations counted by {@link #calls(Operation)}. */
  public enum Operation { CREATE_KEY, GENERATE_DATA_KEY, WRAP, UNWRAP, DESCRIBE, SCHEDULE_DELETION }

  private static final byte BLOB_VERSION = 1;

  private final Map<String, Cmk> keys = new ConcurrentHashMap<>();
  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
  private final RandomSource random;
  private final DeriveKeyWrapper wrapper;
  private final Clock clock;
  private volatile RuntimeException injectedFailure;

  public InMemoryCmkProvider() {
    this(RandomSource.secure(), Clock.systemUTC());
  }

  public InMemoryCmkProvider(RandomSource random, Clock clock) {
    this.random = random;
    this.clock = clock;
    this.wrapper = new DeriveKeyWrapper("rowseal/cmk-wrap", random);
    for (Operation op : Operation.values()) {
      calls.put(op, new AtomicLong());
    }
  }

  /** Calls of one operation so far. */
  public long calls(Operation op) {
    return calls.get(op).get();
  }

  /** Calls of all operations so far. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Makes every following call fail with {@code failure} (null to stop): for failure tests. */
  public void failWith(RuntimeException failure) {
    this.injectedFailure = failure;
  }

  /** Adds a new key-material version to {@code cmkId}; new wraps use it, old blobs still unwrap. */
  public void rotate(String cmkId) {
    Cmk cmk = find(cmkId);
    synchronized (cmk) {
      cmk.versions.add(KeyMaterial.random256Of(random));
    }
  }

  /** Disables or re-enables {@code cmkId}. */
  public void setEnabled(String cmkId, boolean enabled) {
    Cmk cmk = find(cmkId);
    synchronized (cmk) {
      if (cmk.state == KeyState.DESTROYED || cmk.state == KeyState.PENDING_DELETION) {
        throw new KmsException.InvalidKeyState(cmkId, cmk.state, enabled ? "enable" : "disable");
      }
      cmk.state = enabled ? KeyState.ENABLED : KeyState.DISABLED;
    }
  }

  /** Destroys {@code cmkId} now, skipping the waiting period: for crypto-shredding tests. */
  public void destroyNow(String cmkId) {
    Cmk cmk = find(cmkId);
    synchronized (cmk) {
      cmk.state = KeyState.DESTROYED;
      cmk.versions.forEach(KeyMaterial::destroy);
    }
  }

  @Override
  public KeyMetadata createKey(String description) {
    count(Operation.CREATE_KEY);
    String id = "cmk-" + UUID.randomUUID();
    Cmk cmk = new Cmk(id, description == null ? "" : description, clock.instant());
    cmk.versions.add(KeyMaterial.random256Of(random));
    keys.put(id, cmk);
    return cmk.metadata();
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    count(Operation.GENERATE_DATA_KEY);
    KeyMaterial key = KeyMaterial.random256Of(random);
    return new DataKey(key, wrapInternal(cmkId, key, context));
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    count(Operation.WRAP);
    return wrapInternal(cmkId, key, context);
  }

  private byte[] wrapInternal(String cmkId, KeyMaterial key, EncryptionContext context) {
    Cmk cmk = usable(cmkId, "wrap");
    int version;
    KeyMaterial material;
    synchronized (cmk) {
      version = cmk.versions.size();
      material = cmk.versions.get(version - 1);
    }
    byte[] wrapped = wrapper.wrap(material, key, aad(cmkId, version, context));
    return ByteBuffer.allocate(5 + wrapped.length).put(BLOB_VERSION).putInt(version).put(wrapped).array();
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] blob, EncryptionContext context) throws IntegrityException {
    count(Operation.UNWRAP);
    Cmk cmk = usable(cmkId, "unwrap");
    if (blob.length < 5 || blob[0] != BLOB_VERSION) {
      throw new IntegrityException("wrapped key under CMK '" + cmkId + "' is malformed");
    }
    int version = ByteBuffer.wrap(blob, 1, 4).getInt();
    KeyMaterial material;
    synchronized (cmk) {
      if (version < 1 || version > cmk.versions.size()) {
        throw new IntegrityException("wrapped key under CMK '" + cmkId + "' does not verify");
      }
      material = cmk.versions.get(version - 1);
    }
    try {
      return wrapper.unwrap(material, blob, 5, blob.length - 5, aad(cmkId, version, context));
    } catch (IntegrityException e) {
      throw new IntegrityException("wrapped key under CMK '" + cmkId + "' does not verify");
    }
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    count(Operation.DESCRIBE);
    return find(cmkId).metadata();
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    count(Operation.SCHEDULE_DELETION);
    if (waitingPeriod.isNegative()) {
      throw new IllegalArgumentException("waiting period must not be negative, was " + waitingPeriod);
    }
    Cmk cmk = find(cmkId);
    synchronized (cmk) {
      if (cmk.state == KeyState.DESTROYED) {
        throw new KmsException.InvalidKeyState(cmkId, cmk.state, "schedule deletion");
      }
      cmk.state = KeyState.PENDING_DELETION;
      cmk.deletionDate = clock.instant().plus(waitingPeriod);
    }
    return cmk.metadata();
  }

  private Cmk usable(String cmkId, String operation) {
    Cmk cmk = find(cmkId);
    synchronized (cmk) {
      if (cmk.state == KeyState.PENDING_DELETION && !clock.instant().isBefore(cmk.deletionDate)) {
        cmk.state = KeyState.DESTROYED;
        cmk.versions.forEach(KeyMaterial::destroy);
      }
      if (cmk.state != KeyState.ENABLED) {
        throw new KmsException.InvalidKeyState(cmkId, cmk.state, operation);
      }
    }
    return cmk;
  }

  private Cmk find(String cmkId) {
    Cmk cmk = keys.get(cmkId);
    if (cmk == null) {
      throw new KmsException.KeyNotFound(cmkId);
    }
    return cmk;
  }

  private void count(Operation op) {
    RuntimeException failure = injectedFailure;
    calls.get(op).incrementAndGet();
    if (failure != null) {
      throw failure;
    }
  }

  private static byte[] aad(String cmkId, int version, EncryptionContext context) {
    byte[] id = cmkId.getBytes(StandardCharsets.UTF_8);
    byte[] ctx = context.toAad();
    return ByteBuffer.allocate(4 + id.length + 4 + ctx.length)
        .putInt(id.length).put(id).putInt(version).put(ctx).array();
  }

  @Override
  public String backend() {
    return "in-memory";
  }

  @Override
  public String toString() {
    return "InMemoryCmkProvider(keys=" + keys.size() + ", calls=" + totalCalls() + ")";
  }

  private static final class Cmk {
    final String id;
    final String description;
    final Instant createdAt;
    final List<KeyMaterial> versions = new ArrayList<>();
    KeyState state = KeyState.ENABLED;
    Instant deletionDate;

    Cmk(String id, String description, Instant createdAt) {
      this.id = id;
      this.description = description;
      this.createdAt = createdAt;
    }

    synchronized KeyMetadata metadata() {
      return new KeyMetadata(id, description, state, createdAt, deletionDate, versions.size());
    }
  }
}
