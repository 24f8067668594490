package io.rowseal.kms.pkcs11;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A {@link CmkProvider} on a PKCS#11 token (an HSM, or SoftHSM2), through the JDK's SunPKCS11: a CMK is an
 * AES-256 secret-key object of the token, named by its label ({@code CKA_LABEL} = the CMK id), generated
 * inside the token as sensitive and never extractable. Wrap and unwrap run inside the token as
 * AES-256-GCM ({@code CKM_AES_GCM}); the JVM sees only the branch key being wrapped or unwrapped.
 *
 * <p>Wrapped blob, version 1:
 * <pre>
 *   0x01 | label length L (1 byte, 1..255) | label (L bytes, UTF-8) | IV (12 bytes) | ciphertext | tag (16 bytes)
 * </pre>
 * The IV is random per wrap. The GCM AAD is the blob's first {@code 2 + L} bytes followed by the
 * {@link EncryptionContext#toAad() canonical encoding} of the context, so neither the label nor the context
 * can be changed. A blob naming another key than the one asked for is an {@link IntegrityException}, like
 * a tag that does not verify.
 *
 * <p>PKCS#11 keys have no versions: {@link KeyMetadata#currentVersion()} is 1, and rotating the CMK means
 * a new key under a new label ({@code rowseal.cmk-id}), the old one kept in {@code rowseal.previous-cmk-ids}.
 * With {@code rowseal.cmk-id} set, only the keys it and {@code rowseal.previous-cmk-ids} name are used
 * ({@code RS-2035} for any other) and each must be in the token at start ({@code RS-2001}); without it,
 * rowseal creates the CMK on first use ({@link #createKey}). Keys are deleted with the HSM's own tools,
 * never by rowseal ({@code RS-2037}). Before a key's first use in a process it wraps and unwraps a random key
 * under it: a token whose AES-GCM does not honour the IV it is given is refused ({@code RS-2038}) before it
 * writes a blob that could not be read back. Thread-safe.
 */
public final class Pkcs11CmkProvider implements CmkProvider, AutoCloseable {
  static final byte VERSION = 1;
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";

  private final Pkcs11Token token;
  private final Set<String> pinned;
  private final RandomSource random = RandomSource.secure();
  /** Label → the token's key object; dropped when the token says the handle is gone. */
  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();

  private Pkcs11CmkProvider(Pkcs11Token token, Set<String> pinned) {
    this.token = token;
    this.pinned = pinned;
  }

  /** The {@code rowseal.kms.pkcs11.*} settings this provider reads (besides {@code rowseal.cmk-id} and {@code previous-cmk-ids}). */
  public static java.util.Set<String> settingNames() {
    return Pkcs11Settings.KNOWN;
  }

  /**
   * The provider {@code rowseal.kms=pkcs11} configures from {@code rowseal.kms.pkcs11.library},
   * {@code .slot} and {@code .pin-env}, and the keys pinned by {@code rowseal.cmk-id} and
   * {@code rowseal.previous-cmk-ids}: the token is opened, logged in and each pinned key checked now.
   */
  public static Pkcs11CmkProvider fromSettings(Map<String, ?> settings) {
    return fromSettings(settings, System::getenv);
  }

  static Pkcs11CmkProvider fromSettings(Map<String, ?> settings, UnaryOperator<String> environment) {
    Pkcs11Settings parsed = Pkcs11Settings.of(settings);
    Pkcs11CmkProvider provider = new Pkcs11CmkProvider(Pkcs11Token.open(parsed, environment), parsed.pinned());
    for (String label : parsed.pinned()) {
      provider.key(label, "start");
    }
    return provider;
  }

  /** The key labels this provider may use, as configured; empty when any key of the token may be used. */
  public Set<String> pinnedKeyIds() {
    return pinned;
  }

  @Override
  public KeyMetadata createKey(String description) {
    String label = "rowseal-" + UUID.randomUUID();
    try {
      keys.put(label, selfTested(label, usable(label, token.generate(label))));
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(label, "generate key", e);
    }
    return new KeyMetadata(label, description == null ? "" : description, KeyState.ENABLED, null, null, 1);
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    throw new KmsException("RS-2037", "rowseal does not delete PKCS#11 key '" + cmkId + "': delete it with the "
        + "HSM's own tools (e.g. pkcs11-tool --delete-object --type secrkey --label " + cmkId + ") once nothing "
        + "wrapped under it is needed");
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    KeyMaterial key = KeyMaterial.random256Of(random);
    try {
      return new DataKey(key, wrap(cmkId, key, context));
    } catch (RuntimeException e) {
      key.destroy();
      throw e;
    }
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    return seal(cmkId, key(cmkId, "wrap"), key, context);
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    return open(cmkId, key(cmkId, "unwrap"), wrapped, context);
  }

  private byte[] seal(String cmkId, SecretKey cmk, KeyMaterial key, EncryptionContext context) {
    byte[] header = header(cmkId);
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    byte[] plaintext = key.copyBytes();
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, token.provider());
      cipher.init(Cipher.ENCRYPT_MODE, cmk, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(header, context));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(header.length + IV_LENGTH + sealed.length).put(header).put(iv).put(sealed).array();
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(cmkId, "wrap", e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private KeyMaterial open(String cmkId, SecretKey cmk, byte[] wrapped, EncryptionContext context)
      throws IntegrityException {
    int labelLength = wrapped.length > 1 ? wrapped[1] & 0xff : 0;
    int headerLength = 2 + labelLength;
    if (wrapped.length < headerLength + IV_LENGTH + TAG_BITS / 8 || wrapped[0] != VERSION || labelLength == 0) {
      throw new IntegrityException("wrapped key under PKCS#11 key '" + cmkId + "' is malformed");
    }
    byte[] header = Arrays.copyOf(wrapped, headerLength);
    if (!Arrays.equals(header, header(cmkId))) {
      throw new IntegrityException("wrapped key names PKCS#11 key '" + new String(wrapped, 2, labelLength,
          StandardCharsets.UTF_8) + "', not '" + cmkId + "'");
    }
    byte[] plaintext = null;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, token.provider());
      cipher.init(Cipher.DECRYPT_MODE, cmk, new GCMParameterSpec(TAG_BITS, wrapped, headerLength, IV_LENGTH));
      cipher.updateAAD(aad(header, context));
      int offset = headerLength + IV_LENGTH;
      plaintext = cipher.doFinal(wrapped, offset, wrapped.length - offset);
      return KeyMaterial.copyOf(plaintext);
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      // AEADBadTagException: CKR_ENCRYPTED_DATA_INVALID (or SoftHSM2's CKR_GENERAL_ERROR) from C_Decrypt
      throw new IntegrityException("wrapped key under PKCS#11 key '" + cmkId + "' does not verify");
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(cmkId, "unwrap", e);
    } finally {
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * Looks the key up in the token itself (one round trip, not the key object found before), so that the
   * health probe sees a token that went away or a key that was deleted.
   */
  @Override
  public KeyMetadata describe(String cmkId) {
    key(cmkId, "describe"); // the pinning check
    SecretKey onToken;
    try {
      onToken = token.find(cmkId);
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(cmkId, "describe", e);
    }
    if (onToken == null) {
      keys.remove(cmkId);
      throw new KmsException.KeyNotFound(cmkId, "PKCS#11 describe: no secret key with that label in the token in "
          + token.where());
    }
    return new KeyMetadata(cmkId, "", KeyState.ENABLED, null, null, 1);
  }

  /** Forgets the key objects; the token stays logged in (other providers on it share the login). */
  @Override
  public void close() {
    keys.clear();
  }

  @Override
  public String backend() {
    return "pkcs11";
  }

  @Override
  public String toString() {
    return "Pkcs11CmkProvider(" + token.where() + ", keys=" + (pinned.isEmpty() ? "any" : pinned) + ")";
  }

  /** A CMK label must fit the blob's length byte. */
  static void checkLabel(String label) {
    int length = label.getBytes(StandardCharsets.UTF_8).length;
    if (length == 0 || length > 255) {
      throw Pkcs11Settings.invalid("a PKCS#11 key label must be 1 to 255 bytes of UTF-8, '" + label + "' is "
          + length);
    }
  }

  private SecretKey key(String cmkId, String operation) {
    if (cmkId == null || (!pinned.isEmpty() && !pinned.contains(cmkId))) {
      throw new KmsException("RS-2035", "PKCS#11 " + operation + " with key '" + cmkId + "' refused: the key is not "
          + "pinned by " + Pkcs11Settings.CMK_ID + " or " + Pkcs11Settings.PREVIOUS_CMK_IDS + " (pinned: " + pinned
          + ")");
    }
    SecretKey key = keys.get(cmkId);
    if (key != null) {
      return key;
    }
    try {
      key = token.find(cmkId);
    } catch (GeneralSecurityException | ProviderException e) {
      throw failure(cmkId, operation, e);
    }
    if (key == null) {
      throw new KmsException.KeyNotFound(cmkId, "PKCS#11 " + operation + ": no secret key with that label in the "
          + "token in " + token.where());
    }
    keys.put(cmkId, selfTested(cmkId, usable(cmkId, key)));
    return key;
  }

  /**
   * Wraps and unwraps a random key once, before a key's first use in this process: a token whose AES-GCM does
   * not take the IV rowseal gives it (some HSMs generate the IV themselves in FIPS mode) would otherwise write
   * blobs that never unwrap.
   */
  private SecretKey selfTested(String cmkId, SecretKey key) {
    KeyMaterial probe = KeyMaterial.random256Of(random);
    EncryptionContext context = EncryptionContext.of(Map.of("rowseal:self-test", cmkId));
    try {
      if (!open(cmkId, key, seal(cmkId, key, probe, context), context).sameKeyAs(probe)) {
        throw new IntegrityException("unwrapped a different key");
      }
      return key;
    } catch (IntegrityException e) {
      throw new KmsException("RS-2038", "PKCS#11 key '" + cmkId + "' in the token in " + token.where() + " fails "
          + "rowseal's wrap/unwrap self-test (" + e.getMessage() + "): the token's CKM_AES_GCM does not decrypt what "
          + "it encrypted with the IV rowseal chose; this token cannot be used");
    } finally {
      probe.destroy();
    }
  }

  /** Refuses a key whose bytes could leave the token, or that is not AES. */
  private SecretKey usable(String cmkId, SecretKey key) {
    // SunPKCS11 gives a key an encoding format only when it is neither sensitive nor unextractable
    if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || key.getFormat() != null) {
      throw new KmsException("RS-2036", "PKCS#11 key '" + cmkId + "' in the token in " + token.where() + " is "
          + (key.getFormat() != null ? "readable outside the token (CKA_SENSITIVE false and CKA_EXTRACTABLE true)"
          : "not an AES key (" + key.getAlgorithm() + ")") + ": rowseal uses only keys that never leave the token");
    }
    return key;
  }

  private static byte[] header(String label) {
    byte[] name = label.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[2 + name.length];
    header[0] = VERSION;
    header[1] = (byte) name.length;
    System.arraycopy(name, 0, header, 2, name.length);
    return header;
  }

  private static byte[] aad(byte[] header, EncryptionContext context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(context.toAad());
    return out.toByteArray();
  }

  /** A token failure as rowseal's code: a vanished key is RS-2001, a token that is gone RS-2004, else RS-2038. */
  private KmsException failure(String cmkId, String operation, Exception e) {
    String ckr = Pkcs11Token.ckr(e);
    String what = "PKCS#11 " + operation + " with key '" + cmkId + "' in the token in " + token.where();
    if (ckr.equals("CKR_KEY_HANDLE_INVALID") || ckr.equals("CKR_OBJECT_HANDLE_INVALID")) {
      keys.remove(cmkId);
      return new KmsException.KeyNotFound(cmkId, what + ": " + ckr);
    }
    if (ckr.startsWith("CKR_DEVICE_") || ckr.startsWith("CKR_SESSION_") || ckr.startsWith("CKR_TOKEN_")
        || ckr.equals("CKR_USER_NOT_LOGGED_IN") || ckr.equals("CKR_CRYPTOKI_NOT_INITIALIZED")
        || (e instanceof ProviderException && ckr.isEmpty())) {
      keys.remove(cmkId);
      return new KmsException.Unavailable(what + " failed: " + (ckr.isEmpty() ? e.getMessage() : ckr), e);
    }
    return new KmsException("RS-2038", what + " failed: " + (ckr.isEmpty() ? e.toString() : ckr), e);
  }
}
