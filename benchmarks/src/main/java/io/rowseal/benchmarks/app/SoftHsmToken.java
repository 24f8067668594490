package io.rowseal.benchmarks.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SoftHSM2 token of its own for the pkcs11 launches, made with {@code softhsm2-util} in the run's working
 * directory as rowseal's tests make theirs (io.rowseal.testing.SoftHsm): its own {@code softhsm2.conf}
 * (handed to the shop in {@code SOFTHSM2_CONF}), one initialised token, its user PIN in {@link #PIN_ENV}.
 *
 * @param conf the SoftHSM2 configuration file
 * @param library the SoftHSM2 PKCS#11 library
 * @param slot the token's slot id
 */
public record SoftHsmToken(Path conf, String library, long slot) {
  static final String PIN_ENV = "APP_HSM_PIN";
  static final String PIN = "benchmark-user-pin";
  private static final List<String> LIBRARIES = List.of("/usr/lib/softhsm/libsofthsm2.so",
      "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib64/pkcs11/libsofthsm2.so",
      "/usr/local/lib/softhsm/libsofthsm2.so", "/opt/homebrew/lib/softhsm/libsofthsm2.so");

  /** Makes the token under {@code dir}; fails when SoftHSM2 is not installed. */
  public static SoftHsmToken make(Path dir) throws IOException, InterruptedException {
    String library = LIBRARIES.stream().filter(l -> Files.isRegularFile(Path.of(l))).findFirst()
        .orElseThrow(() -> new IOException("SoftHSM2 is not installed (no libsofthsm2.so in " + LIBRARIES + ")"));
    Path tokens = dir.resolve("softhsm2-tokens");
    Files.createDirectories(tokens);
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
        StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "rowseal-shop",
        "--so-pin", "benchmark-so-pin", "--pin", PIN).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("softhsm2-util --init-token failed: " + out);
    }
    Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    if (!m.find()) {
      throw new IOException("softhsm2-util did not say which slot the token went to: " + out);
    }
    return new SoftHsmToken(conf, library, Long.parseLong(m.group(1)));
  }
}
