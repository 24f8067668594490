package io.rowseal.kms.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KmsException;
import io.rowseal.testing.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rowseal.kms=pkcs11} on a SoftHSM2 token: keys made and used inside the token, and boot failures. */
class Pkcs11CmkProviderTest {
  private static final EncryptionContext CONTEXT = EncryptionContext.of("rowseal:branch-key-id", "orders",
      "rowseal:branch-key-version", "3");
  private static final UnaryOperator<String> ENV = name -> name.equals(SoftHsm.PIN_ENV) ? SoftHsm.pin() : null;

  private SoftHsm.Token token;
  private Pkcs11CmkProvider kms;

  @BeforeEach
  void open() {
    token = SoftHsm.token(SoftHsm.MAIN);
    kms = Pkcs11CmkProvider.fromSettings(settings(token), ENV);
  }

  @AfterEach
  void close() {
    if (kms != null) {
      kms.close();
    }
  }

  @Test
  void createKey_keyIsSensitiveAndNeverExtractable() {
    String cmk = kms.createKey("test").cmkId();

    Map<String, String> object = secretKeyObject(SoftHsm.pkcs11Tool(token, "--list-objects", "--type", "secrkey"),
        cmk);
    List<String> access = Arrays.asList(object.get("Access").split(",\\s*"));
    // pkcs11-tool prints "sensitive" for CKA_SENSITIVE=true and "extractable" for CKA_EXTRACTABLE=true
    assertThat(access).contains("sensitive", "never extractable").doesNotContain("extractable");
    assertThat(object.get("Secret Key Object")).isEqualTo("AES length 32");
  }

  @Test
  void pkcs11ToolListing_extractableKey_isSeenAsExtractable() {
    SoftHsm.requirePkcs11Tool();
    // the listing the test above reads does tell an extractable key apart
    Map<String, String> object = secretKeyObject(SoftHsm.pkcs11Tool(token, "--list-objects", "--type", "secrkey"),
        SoftHsm.READABLE_KEY);

    assertThat(Arrays.asList(object.get("Access").split(",\\s*"))).contains("extractable").doesNotContain("sensitive");
  }

  @Test
  void wrapUnwrap_roundTripsThroughTheToken() throws Exception {
    String cmk = kms.createKey("test").cmkId();
    KeyMaterial key = KeyMaterial.copyOf(new byte[32]);

    byte[] wrapped = kms.wrap(cmk, key, CONTEXT);

    assertThat(kms.unwrap(cmk, wrapped, CONTEXT).sameKeyAs(key)).isTrue();
    assertThat(wrapped).hasSize(2 + cmk.length() + 12 + 32 + 16);
    assertThat(wrapped[0]).isEqualTo(Pkcs11CmkProvider.VERSION);
  }

  @Test
  void generateDataKey_wrappedFormUnwrapsToThePlaintext_alsoInANewProvider() throws Exception {
    String cmk = kms.createKey("test").cmkId();
    DataKey dk = kms.generateDataKey(cmk, CONTEXT);

    try (Pkcs11CmkProvider again = Pkcs11CmkProvider.fromSettings(settings(token, cmk), ENV)) {
      assertThat(again.unwrap(cmk, dk.wrapped(), CONTEXT).sameKeyAs(dk.plaintext())).isTrue();
    }
    assertThat(kms.generateDataKey(cmk, CONTEXT).plaintext().sameKeyAs(dk.plaintext())).isFalse();
  }

  /** Blob version 1 of 32 bytes 0x40..0x5f under key bytes 0x00..0x1f labelled golden-v1, IV 0xa0..0xab, CONTEXT. */
  private static final String GOLDEN_V1 = "0109676f6c64656e2d7631a0a1a2a3a4a5a6a7a8a9aaaba6593e6e018e44f82a2ccd984b378e91"
      + "20fd0b43c6e2143bc4577cdd23f62b5e4cef4d7b815e74b45660568b237b1601";

  @Test
  void blobFormatV1_goldenVectorUnwraps_andWrapsFollowTheLayout() throws Exception {
    byte[] keyBytes = bytes(0x00, 32);
    importKey(token, "golden-v1", keyBytes);

    KeyMaterial unwrapped = kms.unwrap("golden-v1", HexFormat.of().parseHex(GOLDEN_V1), CONTEXT);
    assertThat(unwrapped.sameKeyAs(KeyMaterial.copyOf(bytes(0x40, 32)))).isTrue();

    // and what the provider writes opens with the JDK's own AES-GCM under the same layout
    byte[] wrapped = kms.wrap("golden-v1", KeyMaterial.copyOf(bytes(0x40, 32)), CONTEXT);
    int header = 2 + "golden-v1".length();
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, "AES"),
        new GCMParameterSpec(128, wrapped, header, 12));
    gcm.updateAAD(Arrays.copyOf(wrapped, header));
    gcm.updateAAD(CONTEXT.toAad());
    assertThat(gcm.doFinal(wrapped, header + 12, wrapped.length - header - 12)).isEqualTo(bytes(0x40, 32));
    assertThat(Arrays.copyOf(wrapped, header)).isEqualTo(Arrays.copyOf(HexFormat.of().parseHex(GOLDEN_V1),
        header));
  }

  @Test
  void unwrap_otherContext_isIntegrityFailure() {
    String cmk = kms.createKey("test").cmkId();
    byte[] wrapped = kms.generateDataKey(cmk, CONTEXT).wrapped();
    EncryptionContext other = EncryptionContext.of("rowseal:branch-key-id", "orders", "rowseal:branch-key-version", "4");

    assertThatThrownBy(() -> kms.unwrap(cmk, wrapped, other)).isInstanceOf(IntegrityException.class)
        .hasMessageContaining(cmk);
    assertThatThrownBy(() -> kms.unwrap(cmk, wrapped, EncryptionContext.empty())).isInstanceOf(IntegrityException.class);
  }

  @Test
  void unwrap_anyByteChanged_isIntegrityFailure() {
    String cmk = kms.createKey("test").cmkId();
    byte[] wrapped = kms.generateDataKey(cmk, CONTEXT).wrapped();
    List<String> accepted = new ArrayList<>();

    for (int i = 0; i < wrapped.length; i++) {
      byte[] tampered = wrapped.clone();
      tampered[i] ^= 0x01;
      try {
        kms.unwrap(cmk, tampered, CONTEXT);
        accepted.add("byte " + i);
      } catch (IntegrityException expected) {
        // the one exception a changed blob may give
      }
    }
    assertThat(accepted).isEmpty();
    assertThatThrownBy(() -> kms.unwrap(cmk, Arrays.copyOf(wrapped, wrapped.length - 1), CONTEXT))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void unwrap_blobOfAnotherKey_isRefusedNamingIt() {
    String a = kms.createKey("a").cmkId();
    String b = kms.createKey("b").cmkId();
    byte[] underA = kms.generateDataKey(a, CONTEXT).wrapped();

    assertThatThrownBy(() -> kms.unwrap(b, underA, CONTEXT)).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("names PKCS#11 key '" + a + "', not '" + b + "'");
  }

  @Test
  void pinnedKeys_anotherKey_isRefusedWithoutTouchingIt() {
    String pinned = kms.createKey("pinned").cmkId();
    String other = kms.createKey("other").cmkId();

    try (Pkcs11CmkProvider strict = Pkcs11CmkProvider.fromSettings(settings(token, pinned), ENV)) {
      KmsException e = catchThrowableOfType(() -> strict.generateDataKey(other, CONTEXT), KmsException.class);
      assertThat(e.code()).isEqualTo("RS-2035");
      assertThat(e).hasMessageContaining(other).hasMessageContaining("rowseal.cmk-id");
      assertThat(strict.describe(pinned).currentVersion()).isEqualTo(1);
    }
  }

  @Test
  void start_pinnedKeyNotInToken_failsWithKeyNotFound() {
    KmsException e = catchThrowableOfType(() -> Pkcs11CmkProvider.fromSettings(settings(token, "no-such-key"), ENV),
        KmsException.class);

    assertThat(e).isInstanceOf(KmsException.KeyNotFound.class).hasMessageContaining("no-such-key")
        .hasMessageContaining("slot " + token.slot());
    assertThat(e.code()).isEqualTo("RS-2001");
  }

  @Test
  void start_pinnedKeyReadableOutsideTheToken_isRefused() {
    SoftHsm.requirePkcs11Tool();
    KmsException e = catchThrowableOfType(
        () -> Pkcs11CmkProvider.fromSettings(settings(token, SoftHsm.READABLE_KEY), ENV), KmsException.class);

    assertThat(e.code()).isEqualTo("RS-2036");
    assertThat(e).hasMessageContaining(SoftHsm.READABLE_KEY).hasMessageContaining("readable outside the token");
  }

  @Test
  void scheduleDeletion_isLeftToTheHsmsTools() {
    String cmk = kms.createKey("test").cmkId();

    KmsException e = catchThrowableOfType(() -> kms.scheduleDeletion(cmk, Duration.ofDays(7)), KmsException.class);

    assertThat(e.code()).isEqualTo("RS-2037");
    assertThat(e).hasMessageContaining(cmk).hasMessageContaining("pkcs11-tool --delete-object");
    assertThat(kms.describe(cmk).cmkId()).isEqualTo(cmk);
  }

  @Test
  void describe_keyDeletedFromTheTokenAfterUse_keyNotFound() throws Exception {
    String cmk = kms.createKey("test").cmkId();
    kms.generateDataKey(cmk, CONTEXT);
    assertThat(kms.describe(cmk).state()).isEqualTo(io.rowseal.kms.KeyState.ENABLED);

    otherSession(token).deleteEntry(cmk);

    KmsException e = catchThrowableOfType(() -> kms.describe(cmk), KmsException.class);
    assertThat(e.code()).isEqualTo("RS-2001");
    assertThat(e).hasMessageContaining(cmk);
  }

  @Test
  void start_missingLibrary_failsNamingIt() {
    Map<String, Object> settings = settings(token);
    settings.put(Pkcs11Settings.LIBRARY, "/nonexistent/libpkcs11.so");

    assertStartFails(settings, ENV, "RS-2031", "/nonexistent/libpkcs11.so");
  }

  @Test
  void start_notAPkcs11Library_failsNamingIt() throws Exception {
    Map<String, Object> settings = settings(token);
    Path notALibrary = Files.createTempFile("not-pkcs11", ".so");
    try {
      settings.put(Pkcs11Settings.LIBRARY, notALibrary.toString());
      assertStartFails(settings, ENV, "RS-2031", notALibrary.toString(), "cannot be loaded");
    } finally {
      Files.delete(notALibrary);
    }
  }

  @Test
  void start_noTokenInSlot_failsNamingTheSlot() {
    Map<String, Object> settings = settings(token);
    settings.put(Pkcs11Settings.SLOT, "424242");

    assertStartFails(settings, ENV, "RS-2032", "slot 424242", "CKR_SLOT_ID_INVALID");
  }

  @Test
  void start_tokenNotInitialised_failsNamingTheSlot() {
    Map<String, Object> settings = settings(token);
    settings.put(Pkcs11Settings.SLOT, Long.toString(SoftHsm.uninitialisedSlot()));

    assertStartFails(settings, ENV, "RS-2032", "slot " + SoftHsm.uninitialisedSlot(), "CKR_TOKEN_NOT_RECOGNIZED");
  }

  @Test
  void start_wrongPin_failsSayingSoWithoutThePin() {
    SoftHsm.Token spare = SoftHsm.token(SoftHsm.SPARE);
    String wrong = "not-the-pin-" + System.nanoTime();

    KmsException e = assertStartFails(settings(spare), name -> name.equals(SoftHsm.PIN_ENV) ? wrong : null,
        "RS-2034", "CKR_PIN_INCORRECT", SoftHsm.PIN_ENV, "slot " + spare.slot());
    assertThat(e.getMessage()).doesNotContain(wrong);
  }

  @Test
  void start_pinVariableUnset_failsNamingTheVariable() {
    assertStartFails(settings(token), name -> null, "RS-2033", SoftHsm.PIN_ENV);
  }

  @Test
  void start_unknownOrMissingSetting_failsNamingIt() {
    Map<String, Object> unknown = settings(token);
    unknown.put("rowseal.kms.pkcs11.pin", "1234");
    assertStartFails(unknown, ENV, "RS-2030", "rowseal.kms.pkcs11.pin'");

    Map<String, Object> noSlot = settings(token);
    noSlot.remove(Pkcs11Settings.SLOT);
    assertStartFails(noSlot, ENV, "RS-2030", Pkcs11Settings.SLOT);
  }

  private static KmsException assertStartFails(Map<String, Object> settings, UnaryOperator<String> env, String code,
      String... fragments) {
    KmsException e = catchThrowableOfType(() -> Pkcs11CmkProvider.fromSettings(settings, env), KmsException.class);
    assertThat(e).as("start with %s", settings).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    for (String fragment : fragments) {
      assertThat(e).hasMessageContaining(fragment);
    }
    return e;
  }

  static Map<String, Object> settings(SoftHsm.Token token) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(Pkcs11Settings.LIBRARY, SoftHsm.library());
    settings.put(Pkcs11Settings.SLOT, Long.toString(token.slot()));
    settings.put(Pkcs11Settings.PIN_ENV, SoftHsm.PIN_ENV);
    return settings;
  }

  private static Map<String, Object> settings(SoftHsm.Token token, String cmkId) {
    Map<String, Object> settings = settings(token);
    settings.put(Pkcs11Settings.CMK_ID, cmkId);
    return settings;
  }

  private static byte[] bytes(int first, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  /** Imports known key bytes into the token as a sensitive, unextractable key (for the golden vector only). */
  /** The token's keys as another application sees them (an operator's tool). */
  private static KeyStore otherSession(SoftHsm.Token token) throws Exception {
    Provider p = Security.getProvider("SunPKCS11").configure("--name=rowseal-test-other\n"
        + "library = \"" + SoftHsm.library() + "\"\nslot = " + token.slot() + "\n");
    KeyStore store = KeyStore.getInstance("PKCS11", p);
    store.load(null, SoftHsm.pin().toCharArray());
    return store;
  }

  private static void importKey(SoftHsm.Token token, String label, byte[] key) throws Exception {
    Provider p = Security.getProvider("SunPKCS11").configure("--name=rowseal-test-import\n"
        + "library = \"" + SoftHsm.library() + "\"\nslot = " + token.slot() + "\n"
        + "attributes(import, CKO_SECRET_KEY, CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
    KeyStore store = KeyStore.getInstance("PKCS11", p);
    store.load(null, SoftHsm.pin().toCharArray());
    store.setEntry(label, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "AES")),
        null);
  }

  /** The attributes pkcs11-tool lists for the secret key labelled {@code label}. */
  private static Map<String, String> secretKeyObject(String listing, String label) {
    Pattern line = Pattern.compile("^\\s*([A-Za-z ]+?):\\s*(.*?)\\s*$");
    List<Map<String, String>> objects = new ArrayList<>();
    for (String l : listing.split("\n")) {
      Matcher m = line.matcher(l.replace("Secret Key Object;", "Secret Key Object:"));
      if (!m.matches()) {
        continue;
      }
      if (m.group(1).equals("Secret Key Object")) {
        objects.add(new HashMap<>());
      }
      if (!objects.isEmpty()) {
        objects.get(objects.size() - 1).put(m.group(1), m.group(2));
      }
    }
    return objects.stream().filter(o -> label.equals(o.get("label"))).findFirst()
        .orElseThrow(() -> new AssertionError("pkcs11-tool lists no secret key '" + label + "': " + listing));
  }
}
