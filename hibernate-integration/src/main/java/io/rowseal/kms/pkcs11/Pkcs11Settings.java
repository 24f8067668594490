package io.rowseal.kms.pkcs11;

import io.rowseal.kms.KmsException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The settings of {@code rowseal.kms=pkcs11}, read and checked before anything touches the token: the
 * PKCS#11 library, the slot, the name of the environment variable that holds the user PIN (a PIN is never
 * a setting), and the pinned keys. Every mistake is {@code RS-2030}, except an unset PIN variable
 * ({@code RS-2033}).
 *
 * @param library path of the token's PKCS#11 library ({@code .so}, {@code .dll}, {@code .dylib})
 * @param slot the slot id, as the library numbers it
 * @param pinEnv name of the environment variable that holds the user PIN
 * @param pinned the labels of the keys rowseal may use ({@code rowseal.cmk-id} first, then
 *     {@code rowseal.previous-cmk-ids}); empty when {@code rowseal.cmk-id} is not set
 */
record Pkcs11Settings(String library, long slot, String pinEnv, Set<String> pinned) {
  static final String PREFIX = "rowseal.kms.pkcs11.";
  static final String LIBRARY = PREFIX + "library";
  static final String SLOT = PREFIX + "slot";
  static final String PIN_ENV = PREFIX + "pin-env";
  static final String CMK_ID = "rowseal.cmk-id";
  static final String PREVIOUS_CMK_IDS = "rowseal.previous-cmk-ids";
  static final Set<String> KNOWN = Set.of(LIBRARY, SLOT, PIN_ENV);

  static Pkcs11Settings of(Map<String, ?> settings) {
    for (String key : settings.keySet()) {
      if (key.startsWith(PREFIX) && !KNOWN.contains(key)) {
        throw invalid("unknown setting '" + key + "'; known: " + new TreeSet<>(KNOWN));
      }
    }
    String library = required(settings, LIBRARY, "the path of the token's PKCS#11 library, e.g. "
        + "/usr/lib/softhsm/libsofthsm2.so for SoftHSM2 on Debian");
    if (library.contains("\"") || library.contains("\n") || library.contains("\r")) {
      throw invalid(LIBRARY + " must be a file path without quotes or line breaks");
    }
    String slotText = required(settings, SLOT, "the slot id of the token (pkcs11-tool --module <library> "
        + "--list-slots; softhsm2-util --show-slots)");
    long slot;
    try {
      slot = Long.parseLong(slotText);
    } catch (NumberFormatException e) {
      throw invalid(SLOT + " must be a slot id (a whole number), was '" + slotText + "'");
    }
    if (slot < 0) {
      throw invalid(SLOT + " must not be negative, was " + slot);
    }
    String pinEnv = required(settings, PIN_ENV, "the name of the environment variable that holds the "
        + "token's user PIN (never the PIN itself)");
    Set<String> pinned = new LinkedHashSet<>();
    String cmkId = text(settings, CMK_ID);
    if (cmkId != null) {
      pinned.add(cmkId);
      String previous = text(settings, PREVIOUS_CMK_IDS);
      if (previous != null) {
        Arrays.stream(previous.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(pinned::add);
      }
    }
    for (String label : pinned) {
      Pkcs11CmkProvider.checkLabel(label);
    }
    return new Pkcs11Settings(library, slot, pinEnv, Collections.unmodifiableSet(pinned));
  }

  /** The user PIN, from {@link #pinEnv}; {@code RS-2033} naming the variable if it is unset or empty. */
  char[] pin(UnaryOperator<String> environment) {
    String pin = environment.apply(pinEnv);
    if (pin == null || pin.isEmpty()) {
      throw new KmsException("RS-2033", "the environment variable " + pinEnv + " named by " + PIN_ENV
          + " is not set or empty: it must hold the user PIN of the token in slot " + slot);
    }
    return pin.toCharArray();
  }

  private static String required(Map<String, ?> settings, String key, String what) {
    String value = text(settings, key);
    if (value == null) {
      throw invalid(key + " is required with rowseal.kms=pkcs11: " + what);
    }
    return value;
  }

  private static String text(Map<String, ?> settings, String key) {
    Object v = settings.get(key);
    return v == null || v.toString().isBlank() ? null : v.toString().trim();
  }

  static KmsException invalid(String message) {
    return new KmsException("RS-2030", message);
  }
}
