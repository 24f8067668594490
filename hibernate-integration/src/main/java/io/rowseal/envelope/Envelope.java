package io.rowseal.envelope;

import io.rowseal.IntegrityException;
import io.rowseal.RowsealException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.AesGcmKey;
import io.rowseal.crypto.DestroyedKeyException;
import io.rowseal.crypto.HmacSha256;
import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.Retrying;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.InstantSource;

/**
 * rowseal's engine: envelope encryption of column values, one fresh data key (DEK) per row write,
 * derived in derive-key mode from a cached branch key (fresh random N per row), which is itself wrapped
 * under a CMK.
 *
 * <p>Security: values are AES-256-GCM with a random 96-bit IV under a DEK used for one row write
 * only; every stored value is self-contained (it names its branch key and its row's N) and bound to its
 * logical attribute name, so any alteration or move to another attribute fails with
 * {@link IntegrityException}. The stored layout is specified in {@code docs/FORMAT.md}; values of format
 * 1 (a wrapped random DEK) stay readable.
 *
 * <p>Cost: a row write makes no CMK call; the CMK is called once per branch-key version per cache
 * lifetime. Reads cache row DEKs by (branch-key reference, N) ({@link RowKeys}), so the values of one row
 * cost one derivation. Thread-safe; build one per application with {@link #builder()}.
 */
public final class Envelope implements AutoCloseable {
  private static final int RETRIES = 3;
  private static final byte[] DEK_LABEL = ValueFormat.DEK_LABEL_V2.getBytes(StandardCharsets.UTF_8);

  final BranchKeyCache branchKeys; // package-private: tests look at the remembered write key
  private final BlindIndexKeys blindIndexKeys;
  final RowKeys rowKeys; // package-private: tests reach its cache
  private final RandomSource random;
  private final EnvelopeMetrics metrics;
  private final KeyBackendProbe probe;

  Envelope(EnvelopeBuilder b) {
    this.metrics = new EnvelopeMetrics();
    this.random = b.random;
    InstantSource clock = b.clock != null ? b.clock : Clock.systemUTC();
    // KMS throttling is answered by retrying with backoff and jitter, as the AWS SDKs do. The metrics
    // count every attempt (inside the retries), unless the caller brought its own Retrying.
    CmkProvider metered = new MeteredCmkProvider(b.cmkProvider, metrics, clock);
    CmkProvider cmk = b.cmkProvider instanceof Retrying ? metered : Retrying.of(metered);
    this.branchKeys = new BranchKeyCache(b.store, cmk, b.branchKeyId, b.cmkId, b.previousCmkIds, b.branchKeyTtl,
        metrics, b.ticker());
    // The health probe is not retried: a throttled or failing KMS is what it reports.
    this.probe = new KeyBackendProbe(metered, branchKeys, metrics, clock, b.ticker(), b.healthProbeInterval,
        b.healthProbeTimeout);
    this.blindIndexKeys = new BlindIndexKeys(branchKeys);
    this.rowKeys = new RowKeys(branchKeys, b, metrics);
  }

  public static EnvelopeBuilder builder() {
    return new EnvelopeBuilder();
  }

  /**
   * Starts one row write: a fresh nonce N and the row's DEK derived from the ACTIVE branch key,
   * {@code KBKDF(B, "rowseal/dek/v2", N)}. Close it after the row.
   */
  public RowEncryptor beginRow() {
    BranchKeyCache.WriteKey known = branchKeys.knownWriteKey();
    if (known != null) {
      try {
        return beginRow(known.ref(), known.key());
      } catch (DestroyedKeyException e) {
        // The branch key left the cache since: look it up again below.
      }
    }
    return beginRow(branchKeys.keyId());
  }

  /** A row write under {@code branchKey}, the plaintext of {@code ref}. */
  private RowEncryptor beginRow(BranchKeyRef ref, KeyMaterial branchKey) {
    byte[] nonce = new byte[ValueFormat.NONCE_LENGTH];
    // N makes the row's DEK, so it is key material: a restored copy of this JVM must not repeat it.
    random.nextKeyBytes(nonce);
    KeyMaterial dek = Kbkdf.deriveFromCached(branchKey, DEK_LABEL, nonce, 0, nonce.length);
    metrics.rowsEncrypted.increment();
    return new RowEncryptor(ref, ValueFormat.header(keyReference(ref), nonce), dek, random, metrics);
  }

  /**
   * Starts one row write under branch key {@code branchKeyId} instead of the envelope's own (a tenant's
   * branch key: each tenant's rows under a key of its own, which can be rotated and destroyed alone).
   * Its first version is created on first use, wrapped under the envelope's CMK.
   */
  public RowEncryptor beginRow(String branchKeyId) {
    boolean own = branchKeyId.equals(branchKeys.keyId());
    for (int attempt = 1; ; attempt++) {
      int epoch = branchKeys.epoch();
      BranchKeyRef ref = activeRef(branchKeyId);
      try {
        KeyMaterial branchKey = branchKey(ref);
        RowEncryptor row = beginRow(ref, branchKey);
        if (own) {
          branchKeys.rememberWriteKey(ref, branchKey, epoch);
        }
        return row;
      } catch (IntegrityException e) {
        throw new RowsealException("RS-1102", "the active branch key " + ref
            + " cannot be unwrapped by its CMK: " + e.getMessage(), e);
      } catch (DestroyedKeyException e) {
        // The branch key left the cache between lookup and use: fetch it again.
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
    return open(stored, attribute).plaintext();
  }

  /**
   * Like {@link #decrypt}, and names the row write the value belongs to ({@link DekId}), which a caller
   * matching values to their row's footer needs: this spares it parsing the value a second time.
   */
  public Opened open(byte[] stored, String attribute) throws IntegrityException {
    RowKeys.LastRow last = rowKeys.last();
    byte[] attributeBytes = last.utf8(attribute);
    if (last.matches(stored, 0, AesGcm.OVERHEAD)) {
      try {
        byte[] plaintext = decryptField(last, last.dek, false, stored, last.headerLength, last.id.ref(),
            attribute, attributeBytes);
        metrics.dekHits.increment();
        return new Opened(plaintext, last.id);
      } catch (DestroyedKeyException e) {
        last.clear(); // evicted meanwhile: look it up below
      }
    }
    ValueFormat.Parsed p = ValueFormat.parse(stored);
    DekId id = DekId.of(p.ref(), stored, p.keyRefLength());
    AesGcmKey cached = rowKeys.cached(id);
    if (cached != null) {
      try {
        byte[] plaintext = decryptField(last, cached, true, stored, p.headerLength(), p.ref(), attribute,
            attributeBytes);
        metrics.dekHits.increment();
        last.remember(stored, 0, p, id, cached, -1);
        return new Opened(plaintext, id);
      } catch (DestroyedKeyException e) {
        // Evicted between lookup and use: obtain it afresh below.
      }
    }
    metrics.dekMisses.increment();
    // A freshly obtained DEK is ours alone until it is cached, so no eviction can pull it away mid-use.
    AesGcmKey dek = rowKeys.obtain(p, stored, 0, "stored value of '" + attribute + "'");
    try {
      byte[] plaintext = decryptField(last, dek, false, stored, p.headerLength(), p.ref(), attribute,
          attributeBytes);
      last.remember(stored, 0, p, id, dek, rowKeys.keep(id, dek));
      return new Opened(plaintext, id);
    } catch (IntegrityException e) {
      dek.destroy();
      throw e;
    }
  }

  /**
   * A decrypted value and the row write it belongs to.
   *
   * @param plaintext the value's bytes
   * @param dekId the row write's data-key reference, shared by its other values and its footer
   */
  public record Opened(byte[] plaintext, DekId dekId) {
    @Override
    public String toString() {
      return "Opened(" + dekId + ", plaintext redacted)";
    }
  }

  /**
   * Verifies a row's footer ({@link RowEncryptor#sign}) against the row as read, in canonical form.
   *
   * @throws IntegrityException if the footer was altered or copied from another row, or the row it
   *     describes is not the row that was signed (a value moved in, replayed, or a signed value edited)
   */
  public void verifyRow(byte[] footer, byte[] canonical) throws IntegrityException {
    verifyRow(footer, canonical, canonical.length);
  }

  /** As {@link #verifyRow(byte[], byte[])}, against the canonical row {@code canonical[0, length)}. */
  public void verifyRow(byte[] footer, byte[] canonical, int length) throws IntegrityException {
    RowFooter.Parsed p = RowFooter.parse(footer);
    RowKeys.LastRow last = rowKeys.last();
    if (last.matches(footer, p.headerOffset(), HmacSha256.LENGTH)) {
      try {
        requireVerified(RowFooter.verifies(last.dek.key(), footer, p, canonical, length), p);
        metrics.dekHits.increment();
        return;
      } catch (DestroyedKeyException e) {
        last.clear();
      }
    }
    DekId id = DekId.of(p.ref(), footer, p.nonceOffset());
    AesGcmKey cached = rowKeys.cached(id);
    if (cached != null) {
      try {
        boolean ok = RowFooter.verifies(cached.key(), footer, p, canonical, length);
        metrics.dekHits.increment();
        requireVerified(ok, p);
        last.remember(footer, p.headerOffset(), header(p), id, cached, -1);
        return;
      } catch (DestroyedKeyException e) {
        // Evicted between lookup and use: obtain it afresh below.
      }
    }
    metrics.dekMisses.increment();
    ValueFormat.Parsed h = header(p);
    AesGcmKey dek = rowKeys.obtain(h, footer, p.headerOffset(), "row signature");
    if (RowFooter.verifies(dek.key(), footer, p, canonical, length)) {
      last.remember(footer, p.headerOffset(), h, id, dek, rowKeys.keep(id, dek));
    } else {
      dek.destroy();
      requireVerified(false, p);
    }
  }

  private static ValueFormat.Parsed header(RowFooter.Parsed p) {
    return new ValueFormat.Parsed(p.ref(), p.version(), p.keyRefLength(), p.macOffset() - p.headerOffset());
  }

  private static void requireVerified(boolean ok, RowFooter.Parsed p) throws IntegrityException {
    if (!ok) {
      throw new IntegrityException("RS-1005: row signature (branch key " + p.ref() + ") does not verify");
    }
  }

  private byte[] decryptField(RowKeys.LastRow last, AesGcmKey dek, boolean keepCipher, byte[] stored,
      int headerLength, BranchKeyRef ref, String attribute, byte[] attributeBytes) throws IntegrityException {
    try {
      byte[] plaintext = dek.decrypt(stored, headerLength, stored.length - headerLength, 0, headerLength,
          attributeBytes, keepCipher, last.threadCipher);
      metrics.valuesDecrypted.increment();
      return plaintext;
    } catch (IntegrityException e) {
      throw new IntegrityException("RS-1000: stored value of '" + attribute + "' (branch key " + ref
          + ") does not verify");
    }
  }

  /** The encoded key reference of {@code ref}, kept for the active version (every row write needs it). */
  private byte[] keyReference(BranchKeyRef ref) {
    KeyReference known = activeKeyReference;
    if (known == null || known.ref() != ref) {
      known = new KeyReference(ref, ValueFormat.keyReference(ref));
      activeKeyReference = known;
    }
    return known.bytes();
  }

  private volatile KeyReference activeKeyReference;

  private record KeyReference(BranchKeyRef ref, byte[] bytes) {}

  private BranchKeyRef activeRef() {
    return activeRef(branchKeys.keyId());
  }

  private BranchKeyRef activeRef(String branchKeyId) {
    try {
      return branchKeys.activeRef(branchKeyId);
    } catch (KmsException | IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RowsealException("RS-1101", "cannot obtain the active branch key '" + branchKeyId
          + "': " + e.getMessage(), e);
    }
  }

  private KeyMaterial branchKey(BranchKeyRef ref) throws IntegrityException {
    return branchKeys.key(ref);
  }

  /** The keys of blind indexes (searchable attributes). */
  public BlindIndexKeys blindIndexKeys() {
    return blindIndexKeys;
  }

  /** Adds a new ACTIVE branch-key version; this envelope writes under it at once. */
  public BranchKeyRef rotateBranchKey() {
    return branchKeys.rotate();
  }

  /** The branch-key version new rows are written under. */
  public BranchKeyRef activeBranchKey() {
    return activeRef();
  }

  /** Every version of the branch key (its status and the CMK that wraps it), oldest first. */
  public java.util.List<io.rowseal.keystore.BranchKeyRecord> branchKeyVersions() {
    return branchKeys.versions(branchKeys.keyId());
  }

  /** Every version of branch key {@code branchKeyId}, oldest first. */
  public java.util.List<io.rowseal.keystore.BranchKeyRecord> branchKeyVersions(String branchKeyId) {
    return branchKeys.versions(branchKeyId);
  }

  /**
   * The id of the CMK that wrapped branch-key version {@code ref}, if the key store holds it (for a
   * migration that moves rows off a CMK). Names a key, never holds key material.
   */
  public java.util.Optional<String> cmkIdOf(BranchKeyRef ref) {
    return branchKeys.cmkIdOf(ref);
  }

  /** Crypto-shreds one former version of the branch key: values under it become unreadable. */
  public void destroyBranchKeyVersion(int version) {
    destroyBranchKeyVersion(new BranchKeyRef(branchKeys.keyId(), version));
  }

  /** Adds a new ACTIVE version of branch key {@code branchKeyId} (e.g. a tenant's). */
  public BranchKeyRef rotateBranchKey(String branchKeyId) {
    return branchKeys.rotate(branchKeyId);
  }

  /**
   * Crypto-shreds every version of branch key {@code branchKeyId} written so far (a tenant's keys, when
   * the tenant leaves), and of its blind-index key, so the shredded rows' index tags match nothing: a new version becomes ACTIVE first, since the store never destroys the active
   * one, and every older version is destroyed; values under them become unreadable ({@code RS-1004}),
   * every other value stays readable.
   *
   * @return how many versions were destroyed
   */
  public int destroyBranchKey(String branchKeyId) {
    int destroyed = destroyAllBut(branchKeyId, rotateBranchKey(branchKeyId));
    String indexKeyId = BlindIndexKeys.indexKeyId(branchKeyId);
    if (!branchKeyVersions(indexKeyId).isEmpty()) {
      // the blind-index tags of the shredded rows must match nothing either
      destroyed += destroyAllBut(indexKeyId, branchKeys.rotate(indexKeyId));
    }
    return destroyed;
  }

  private int destroyAllBut(String keyId, BranchKeyRef fresh) {
    int destroyed = 0;
    for (io.rowseal.keystore.BranchKeyRecord r : branchKeyVersions(keyId)) {
      if (!r.ref().equals(fresh) && r.status() != io.rowseal.keystore.BranchKeyStatus.DESTROYED) {
        destroyBranchKeyVersion(r.ref());
        destroyed++;
      }
    }
    return destroyed;
  }

  /**
   * Crypto-shreds one version of any branch key this envelope reads (e.g. a tenant's): values under it
   * become unreadable ({@code RS-1004}), every other value stays readable.
   */
  public void destroyBranchKeyVersion(BranchKeyRef version) {
    branchKeys.destroy(version);
    rowKeys.forget(version);
  }

  public EnvelopeMetrics metrics() {
    return metrics;
  }

  /**
   * Whether this envelope can encrypt and decrypt now: its KMS reachable and its CMK enabled (one
   * {@code describe} request, sent at most once per {@link EnvelopeBuilder#healthProbeInterval} and bounded
   * by {@link EnvelopeBuilder#healthProbeTimeout}), its ACTIVE branch key cached and until when. Never
   * creates a key; until this process used its first branch key, each check reads the branch-key store. Covers the
   * envelope's own branch-key id, not tenants' ones. Cheap enough for a health endpoint polled every second.
   */
  public KeyHealth keyHealth() {
    return probe.check();
  }

  /** The text form of a stored value: {@code "rs1:"} + Base64. */
  public static String toText(byte[] value) {
    return ValueFormat.toText(value);
  }

  public static byte[] fromText(String text) throws IntegrityException {
    return ValueFormat.fromText(text);
  }

  /**
   * Whether {@code stored} has the header of a value some rowseal format wrote (a known format version,
   * valid flags, a branch-key reference and enough length). Says nothing about its authenticity: only
   * {@link #decrypt} does. Used to tell legacy plaintext in an encrypted column from a rowseal value.
   */
  /**
   * Whether {@code footer} is a version 3 footer, whose canonical row names the row's table and tenant
   * ({@link RowCanonical#of(String, String, String, byte[])}); older footers sign the unbound row.
   */
  public static boolean footerBindsTable(byte[] footer) {
    return footer != null && footer.length > 0 && footer[0] == RowFooter.VERSION_3;
  }

  public static boolean isValue(byte[] stored) {
    try {
      ValueFormat.parse(stored);
      return true;
    } catch (IntegrityException e) {
      return false;
    }
  }

  /**
   * The branch-key version a stored value or row footer was written under, read from its header (not
   * authenticated), or {@code null} if {@code stored} is neither.
   */
  public static BranchKeyRef branchKeyOf(byte[] stored) {
    try {
      return ValueFormat.parse(stored).ref();
    } catch (IntegrityException e) {
      try {
        return RowFooter.parse(stored).ref();
      } catch (IntegrityException notAFooter) {
        return null;
      }
    }
  }

  /** Whether {@code s} carries the text form's prefix. */
  public static boolean isText(String s) {
    return ValueFormat.isText(s);
  }

  /**
   * Exact stored size of a {@code plaintextLength}-byte value as written now (format 2):
   * {@code 51 + len(keyId) + plaintextLength}.
   */
  public static int binaryLength(int plaintextLength, String branchKeyId) {
    return ValueFormat.binaryLength(plaintextLength, branchKeyId);
  }

  /** Exact length of a row footer written now under {@code branchKeyId}: {@code 56 + len(keyId)}. */
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
    rowKeys.close();
    branchKeys.invalidateAll();
  }

  @Override
  public String toString() {
    return "Envelope(branchKeyId=" + branchKeys.keyId() + ", " + metrics + ")";
  }

}
