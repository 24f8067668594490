package io.rowseal.kms.local;

/** Lets tests outside this package see the once-per-JVM deprecation WARNs again. */
public final class SettingWarnings {
  private SettingWarnings() {}

  public static void forget() {
    LocalKmsSettings.forgetWarnings();
  }
}
