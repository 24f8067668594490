package io.rowseal.benchmarks.startup;

import io.rowseal.kms.pkcs11.Pkcs11CmkProvider;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes the key the start-up harness's {@code pkcs11} launches name ({@code rowseal.cmk-id}): through rowseal, so
 * it is made as rowseal makes its keys. Reads {@code rowseal.kms.pkcs11.*} from system properties; prints
 * {@code KEY <label>}.
 */
public final class MakePkcs11Key {
  private MakePkcs11Key() {}

  public static void main(String[] args) {
    Map<String, Object> settings = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("rowseal.kms.pkcs11.")) {
        settings.put(name, System.getProperty(name));
      }
    }
    Pkcs11CmkProvider provider = Pkcs11CmkProvider.fromSettings(settings);
    System.out.println("KEY " + provider.createKey("start-up benchmark").cmkId());
    System.exit(0);
  }
}
