package io.rowseal.kms.pkcs11;

import io.rowseal.kms.KmsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * One token, reached through the JDK's SunPKCS11 provider: configured from {@link Pkcs11Settings} (a
 * provider instance of its own, not registered in {@link Security}) and logged in with the user PIN. Keys
 * are the token's secret-key objects, found by label ({@code CKA_LABEL}). Keys made here are generated
 * inside the token with {@code CKA_SENSITIVE=true} and {@code CKA_EXTRACTABLE=false} and stored as token
 * objects: their bytes never reach the JVM.
 *
 * <p>Start-up failures say which part is wrong: the library ({@code RS-2031}), the slot ({@code RS-2032}),
 * the PIN variable ({@code RS-2033}) or the login ({@code RS-2034}). Thread-safe (SunPKCS11 pools sessions
 * and its key store is synchronized).
 */
final class Pkcs11Token {
  private static final Pattern CKR = Pattern.compile("CKR_[A-Z_]+");
  /** Generated AES keys stay in the token: sensitive and never extractable (SunPKCS11's key template). */
  private static final String GENERATE_TEMPLATE = """
      attributes(generate, CKO_SECRET_KEY, CKK_AES) = {
        CKA_SENSITIVE = true
        CKA_EXTRACTABLE = false
      }
      """;

  private final Provider provider;
  private final KeyStore keys;
  private final String where;

  private Pkcs11Token(Provider provider, KeyStore keys, String where) {
    this.provider = provider;
    this.keys = keys;
    this.where = where;
  }

  /** Loads the library, opens the slot and logs in with the PIN from {@link Pkcs11Settings#pinEnv}. */
  static Pkcs11Token open(Pkcs11Settings settings, UnaryOperator<String> environment) {
    char[] pin = settings.pin(environment);
    try {
      String where = "slot " + settings.slot() + " of " + settings.library();
      Provider provider = configure(settings, where);
      KeyStore keys;
      try {
        keys = KeyStore.getInstance("PKCS11", provider);
        keys.load(null, pin);
      } catch (IOException | GeneralSecurityException | ProviderException e) {
        String ckr = ckr(e);
        if (ckr.startsWith("CKR_PIN_") || ckr.equals("CKR_USER_PIN_NOT_INITIALIZED")) {
          throw new KmsException("RS-2034", "PKCS#11 login to the token in " + where + " refused: " + ckr
              + " (the PIN from " + settings.pinEnv() + ")");
        }
        if (isTokenMissing(ckr)) {
          throw tokenMissing(where, ckr, e);
        }
        throw new KmsException("RS-2034", "PKCS#11 login to the token in " + where + " failed: "
            + (ckr.isEmpty() ? e.toString() : ckr), e);
      }
      try {
        Cipher.getInstance("AES/GCM/NoPadding", provider);
      } catch (GeneralSecurityException e) {
        throw new KmsException("RS-2038", "the token in " + where + " offers no AES-GCM (CKM_AES_GCM), which "
            + "rowseal wraps with: " + e.getMessage(), e);
      }
      return new Pkcs11Token(provider, keys, where);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private static Provider configure(Pkcs11Settings settings, String where) {
    if (!Files.isRegularFile(Path.of(settings.library()))) {
      throw new KmsException("RS-2031", "PKCS#11 library " + settings.library() + " does not exist (set by "
          + Pkcs11Settings.LIBRARY + ")");
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new KmsException("RS-2031", "this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki): "
          + "rowseal.kms=pkcs11 needs it");
    }
    String config = "--name=rowseal-slot-" + settings.slot() + "\n"
        + "library = \"" + settings.library() + "\"\n"
        + "slot = " + settings.slot() + "\n"
        + GENERATE_TEMPLATE;
    try {
      return base.configure(config);
    } catch (ProviderException | InvalidParameterException e) {
      String ckr = ckr(e);
      if (isTokenMissing(ckr)) {
        throw tokenMissing(where, ckr, e);
      }
      // not a PKCS#11 library (no C_GetFunctionList, not loadable), or it failed C_Initialize
      throw new KmsException("RS-2031", "PKCS#11 library " + settings.library() + " cannot be loaded: "
          + (ckr.isEmpty() ? rootMessage(e) : ckr), e);
    }
  }

  private static boolean isTokenMissing(String ckr) {
    return ckr.equals("CKR_SLOT_ID_INVALID") || ckr.equals("CKR_TOKEN_NOT_PRESENT")
        || ckr.equals("CKR_TOKEN_NOT_RECOGNIZED") || ckr.equals("CKR_DEVICE_REMOVED");
  }

  private static KmsException tokenMissing(String where, String ckr, Throwable cause) {
    return new KmsException("RS-2032", "no usable token in " + where + ": " + ckr + " (set "
        + Pkcs11Settings.SLOT + " to the slot of an initialised token: pkcs11-tool --module <library> "
        + "--list-slots, softhsm2-util --show-slots)", cause);
  }

  /** Where the token is, for messages: {@code slot <id> of <library>}. */
  String where() {
    return where;
  }

  Provider provider() {
    return provider;
  }

  /**
   * The secret key labelled {@code label}, or {@code null}. SunPKCS11's key store maps labels when it is
   * loaded; a label it does not know is looked for again after a reload, for keys made since (by another
   * instance, or with the HSM's tools).
   */
  SecretKey find(String label) throws GeneralSecurityException {
    Key key = keys.getKey(label, null);
    if (key == null) {
      try {
        keys.load(null, null); // already logged in: maps the labels again, asks for no PIN
      } catch (IOException e) {
        throw new ProviderException("reloading the token's key labels failed", e);
      }
      key = keys.getKey(label, null);
    }
    if (key != null && !(key instanceof SecretKey)) {
      throw new KmsException("RS-2036", "the object labelled '" + label + "' in the token in " + where
          + " is not a secret key");
    }
    return (SecretKey) key;
  }

  /**
   * Generates an AES-256 key inside the token (sensitive, never extractable) and stores it as a token
   * object labelled {@code label}; the session object it was made as goes with its session.
   */
  SecretKey generate(String label) throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
    generator.init(256);
    SecretKey made = generator.generateKey();
    keys.setEntry(label, new KeyStore.SecretKeyEntry(made), null);
    return find(label);
  }

  /** The first PKCS#11 return code ({@code CKR_...}) named in the cause chain, or empty. */
  static String ckr(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = CKR.matcher(t.getMessage());
        if (m.find()) {
          return m.group();
        }
      }
    }
    return "";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
