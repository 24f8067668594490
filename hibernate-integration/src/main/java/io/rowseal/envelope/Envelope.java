package io.rowseal.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.rowseal.IntegrityException;
import io.rowseal.RowsealException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.crypto.DestroyedKeyException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.Retrying;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * rowseal's engine: envelope encryption of column values, one fresh data key (DEK) per row write,
 * wrapped in derive-key mode under a cached branch key, which is itself wrapped under a CMK.
 *
 * <p>Security: values are AES-256-GCM with a random 96-bit IV under a DEK used for one row write
 * only; every stored value is self-contained (it names its branch key and carries its wrapped DEK) and
 * bound to its logical attribute name, so any alteration or move to another attribute fails with
 * {@link IntegrityException}. The stored layout is specified in {@code docs/FORMAT.md}.
 *
 * <p>Cost: a row write makes no CMK call; the CMK is called once per branch-key version per cache
 * lifetime. Reads cache row DEKs by (branch-key reference, nonce), so the values of one row cost one
 * unwrap. Thread-safe; build one per application with {@link #builder()}.
 */
public final class Envelope implements AutoCloseable {
  private static final int RETRIES = 3;

  private final BranchKeyCache branchKeys;
  final Cache<DekId, KeyMaterial> deks; // package-private: tests check eviction destroys keys
  private final DeriveKeyWrapper dekWrapper;
  private final RandomSource random;
  private final EnvelopeMetrics metrics;
  private final boolean cacheDeks;

  Envelope(EnvelopeBuilder b) {
    this.metrics = new EnvelopeMetrics();
    this.random = b.random;
    this.dekWrapper = new DeriveKeyWrapper(ValueFormat.DEK_LABEL, b.random);
    // KMS throttling is answered by retrying with backoff and jitter, as the AWS SDKs do.
    CmkProvider cmk = b.cmkProvider instanceof Retrying ? b.cmkProvider : Retrying.of(b.cmkProvider);
    this.branchKeys = new BranchKeyCache(b.store, cmk, b.branchKeyId, b.cmkId, b.branchKeyTtl, metrics);
    this.cacheDeks = b.dekCacheMaxSize > 0;
    this.deks = Caffeine.newBuilder()
        .maximumSize(b.dekCacheMaxSize)
        .expireAfterWrite(b.dekCacheTtl)
        // Maintenance on the calling thread: an A/B of the Hibernate macro benchmark on 2 cores was
        // slower with Caffeine's default (ForkJoin) executor (mean 72 vs 55 µs per row on H2).
        // Evicted keys are destroyed during that maintenance; explicit removals as well.
        .executor(Runnable::run)
        .evictionListener((DekId id, KeyMaterial key, RemovalCause cause) -> destroy(key))
        .removalListener((DekId id, KeyMaterial key, RemovalCause cause) -> destroy(key))
        .build();
  }

  /** Caches a freshly unwrapped DEK, or destroys it at once when the DEK cache is disabled. */
  private void keep(DekId id, KeyMaterial dek) {
    if (cacheDeks) {
      deks.put(id, dek);
    } else {
      dek.destroy();
    }
  }

  private static void destroy(KeyMaterial key) {
    if (key != null) {
      key.destroy();
    }
  }

  public static EnvelopeBuilder builder() {
    return new EnvelopeBuilder();
  }

  /** Starts one row write: a fresh DEK, wrapped under the ACTIVE branch key. Close it after the row. */
  public RowEncryptor beginRow() {
    for (int attempt = 1; ; attempt++) {
      BranchKeyRef ref = activeRef();
      KeyMaterial dek = KeyMaterial.random256Of(random);
      byte[] keyRef = ValueFormat.keyReference(ref);
      try {
        byte[] wrapped = dekWrapper.wrap(branchKey(ref), dek, keyRef);
        metrics.rowsEncrypted.increment();
        return new RowEncryptor(ref, ValueFormat.header(keyRef, wrapped), dek, random, metrics);
      } catch (IntegrityException e) {
        dek.destroy();
        throw new RowsealException("RS-1102", "the active branch key " + ref
            + " cannot be unwrapped by its CMK: " + e.getMessage(), e);
      } catch (DestroyedKeyException e) {
        // The branch key left the cache between lookup and use: fetch it again.
        dek.destroy();
        if (attempt == RETRIES) {
          throw new IllegalStateException("branch key " + ref + " kept leaving the cache", e);
        }
      }
    }
  }

  /** Encrypts one value under a DEK of its own (for values written outside a row). */
  public byte[] encrypt(byte[] plaintext, String attribute) {
    try (RowEncryptor row = beginRow()) {
      return row.encrypt(plaintext, attribute);
    }
  }

  /**
   * Decrypts a stored value of {@code attribute}.
   *
   * @throws IntegrityException if the value was altered, moved from another attribute, names a branch
   *     key the store does not hold, or its key was destroyed ({@link io.rowseal.KeyDestroyedException})
   */
  public byte[] decrypt(byte[] stored, String attribute) throws IntegrityException {
    ValueFormat.Parsed p = ValueFormat.parse(stored);
    DekId id = DekId.of(p.ref(), stored, p.keyRefLength());
    byte[] attributeBytes = attribute.getBytes(StandardCharsets.UTF_8);
    KeyMaterial cached = deks.getIfPresent(id);
    if (cached != null) {
      try {
        byte[] plaintext = decryptField(cached, stored, p, attribute, attributeBytes);
        metrics.dekHits.increment();
        return plaintext;
      } catch (DestroyedKeyException e) {
        // Evicted between lookup and use: unwrap afresh below.
      }
    }
    metrics.dekMisses.increment();
    // A freshly unwrapped DEK is ours alone until it is cached, so no eviction can pull it away mid-use.
    KeyMaterial dek = unwrapDek(p.ref(), stored, 0, p.keyRefLength(), "stored value of '" + attribute + "'");
    try {
      byte[] plaintext = decryptField(dek, stored, p, attribute, attributeBytes);
      keep(id, dek);
      return plaintext;
    } catch (IntegrityException e) {
      dek.destroy();
      throw e;
    }
  }

  /**
   * Verifies a row's footer ({@link RowEncryptor#sign}) against the row as read, in canonical form.
   *
   * @throws IntegrityException if the footer was altered or copied from another row, or the row it
   *     describes is not the row that was signed (a value moved in, replayed, or a signed value edited)
   */
  public void verifyRow(byte[] footer, byte[] canonical) throws IntegrityException {
    RowFooter.Parsed p = RowFooter.parse(footer);
    DekId id = DekId.of(p.ref(), footer, p.nonceOffset());
    KeyMaterial cached = deks.getIfPresent(id);
    if (cached != null) {
      try {
        boolean ok = RowFooter.verifies(cached, footer, p, canonical);
        metrics.dekHits.increment();
        requireVerified(ok, p);
        return;
      } catch (DestroyedKeyException e) {
        // Evicted between lookup and use: unwrap afresh below.
      }
    }
    metrics.dekMisses.increment();
    KeyMaterial dek = unwrapDek(p.ref(), footer, p.headerOffset(), p.keyRefLength(), "row signature");
    if (RowFooter.verifies(dek, footer, p, canonical)) {
      keep(id, dek);
    } else {
      dek.destroy();
      requireVerified(false, p);
    }
  }

  private static void requireVerified(boolean ok, RowFooter.Parsed p) throws IntegrityException {
    if (!ok) {
      throw new IntegrityException("RS-1005: row signature (branch key " + p.ref() + ") does not verify");
    }
  }

  private byte[] decryptField(KeyMaterial dek, byte[] stored, ValueFormat.Parsed p, String attribute,
      byte[] attributeBytes) throws IntegrityException {
    try {
      byte[] plaintext = AesGcm.decrypt(dek, stored, p.headerLength(), stored.length - p.headerLength(),
          0, p.headerLength(), attributeBytes);
      metrics.valuesDecrypted.increment();
      return plaintext;
    } catch (IntegrityException e) {
      throw new IntegrityException("RS-1000: stored value of '" + attribute + "' (branch key " + p.ref()
          + ") does not verify");
    }
  }

  /** Unwraps the DEK of the row header at {@code in[offset..]}; {@code what} names it in messages. */
  private KeyMaterial unwrapDek(BranchKeyRef ref, byte[] in, int offset, int keyRefLength, String what)
      throws IntegrityException {
    byte[] aad = Arrays.copyOfRange(in, offset, offset + keyRefLength);
    for (int attempt = 1; ; attempt++) {
      try {
        return dekWrapper.unwrap(branchKey(ref), in, offset + keyRefLength,
            DeriveKeyWrapper.WRAPPED_256_LENGTH, aad);
      } catch (IntegrityException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("RS-")) {
          throw e;
        }
        throw new IntegrityException("RS-1000: " + what + " (branch key " + ref + ") does not verify");
      } catch (DestroyedKeyException e) {
        if (attempt == RETRIES) {
          throw new IllegalStateException("branch key " + ref + " kept leaving the cache", e);
        }
      }
    }
  }

  private BranchKeyRef activeRef() {
    try {
      return branchKeys.activeRef();
    } catch (KmsException | IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RowsealException("RS-1101", "cannot obtain the active branch key '" + branchKeys.keyId()
          + "': " + e.getMessage(), e);
    }
  }

  private KeyMaterial branchKey(BranchKeyRef ref) throws IntegrityException {
    return branchKeys.key(ref);
  }

  /** Adds a new ACTIVE branch-key version; this envelope writes under it at once. */
  public BranchKeyRef rotateBranchKey() {
    return branchKeys.rotate();
  }

  /** The branch-key version new rows are written under. */
  public BranchKeyRef activeBranchKey() {
    return activeRef();
  }

  /** Crypto-shreds one former version of the branch key: values under it become unreadable. */
  public void destroyBranchKeyVersion(int version) {
    branchKeys.destroy(version);
    deks.asMap().keySet().removeIf(id -> id.ref().version() == version);
  }

  public EnvelopeMetrics metrics() {
    return metrics;
  }

  /** The text form of a stored value: {@code "rs1:"} + Base64. */
  public static String toText(byte[] value) {
    return ValueFormat.toText(value);
  }

  public static byte[] fromText(String text) throws IntegrityException {
    return ValueFormat.fromText(text);
  }

  /** Whether {@code s} carries the text form's prefix. */
  public static boolean isText(String s) {
    return ValueFormat.isText(s);
  }

  /** Exact stored size of a {@code plaintextLength}-byte value: {@code 99 + len(keyId) + plaintextLength}. */
  public static int binaryLength(int plaintextLength, String branchKeyId) {
    return ValueFormat.binaryLength(plaintextLength, branchKeyId);
  }

  /** Exact length of a row footer under {@code branchKeyId}: {@code 104 + len(keyId)}. */
  public static int footerLength(String branchKeyId) {
    return RowFooter.length(branchKeyId);
  }

  /** Exact text-form length: {@code 4 + 4·⌈binaryLength/3⌉}. */
  public static int textLength(int plaintextLength, String branchKeyId) {
    return ValueFormat.textLength(plaintextLength, branchKeyId);
  }

  /** Destroys every cached key. */
  @Override
  public void close() {
    deks.asMap().values().forEach(KeyMaterial::destroy);
    deks.invalidateAll();
    branchKeys.invalidateAll();
    deks.cleanUp();
  }

  @Override
  public String toString() {
    return "Envelope(branchKeyId=" + branchKeys.keyId() + ", " + metrics + ")";
  }
}
