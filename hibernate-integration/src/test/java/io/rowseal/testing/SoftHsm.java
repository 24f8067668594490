package io.rowseal.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * SoftHSM2 tokens for the PKCS#11 tests, made once per test JVM in the directory of the
 * {@code SOFTHSM2_CONF} file that surefire names (under {@code target/}), with the user PIN surefire puts
 * in {@link #PIN_ENV}. SoftHSM2 reads its configuration and lists its tokens when a process first loads
 * it, and does not see tokens made later by another process: so every token the tests use is made here,
 * before any test loads the library. Where SoftHSM2 is not installed the tests are skipped with a
 * message, except under {@code CI=true}, where that is a failure ({@code .ci/run} installs it).
 */
public final class SoftHsm {
  /** The environment variable holding the user PIN of the test tokens (set by surefire). */
  public static final String PIN_ENV = "ROWSEAL_TEST_PKCS11_PIN";
  /** Label of the token most tests use. */
  public static final String MAIN = "rowseal-main";
  /** Label of a second token: boots that must fail (a wrong PIN) happen there. */
  public static final String SPARE = "rowseal-spare";
  /** Label of a key of {@link #MAIN} made by pkcs11-tool as extractable and not sensitive. */
  public static final String READABLE_KEY = "readable-key";
  private static final String SO_PIN = "so-pin-of-a-test-token";
  private static final List<String> LIBRARIES = List.of("/usr/lib/softhsm/libsofthsm2.so",
      "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib64/pkcs11/libsofthsm2.so",
      "/usr/local/lib/softhsm/libsofthsm2.so", "/opt/homebrew/lib/softhsm/libsofthsm2.so");
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  /** A token: its label and slot id. */
  public record Token(String label, long slot) {}

  private static Map<String, Token> tokens;
  private static String library;
  private static long uninitialisedSlot = -1;

  private SoftHsm() {}

  /** The token labelled {@code label} ({@link #MAIN} or {@link #SPARE}); skips or fails without SoftHSM2. */
  public static synchronized Token token(String label) {
    if (tokens == null) {
      tokens = make();
    }
    return tokens.get(label);
  }

  /** Path of the SoftHSM2 library. */
  public static synchronized String library() {
    token(MAIN);
    return library;
  }

  /** The slot SoftHSM2 keeps free for the next token: it holds a token that is not initialised. */
  public static synchronized long uninitialisedSlot() {
    token(MAIN);
    if (uninitialisedSlot < 0) {
      throw new AssertionError("softhsm2-util --show-slots listed no uninitialised token");
    }
    return uninitialisedSlot;
  }

  /** The user PIN of the test tokens. */
  public static String pin() {
    return System.getenv(PIN_ENV);
  }

  /**
   * Runs {@code pkcs11-tool} (OpenSC) on the SoftHSM2 library with {@code args}, logged in to the token,
   * and returns its output; skips or fails where it is not installed.
   */
  public static String pkcs11Tool(Token token, String... args) {
    requirePkcs11Tool();
    List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", library(), "--slot",
        Long.toString(token.slot()), "--login", "--pin", pin()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Skips, or fails under {@code CI=true}, where {@code pkcs11-tool} is not installed. */
  public static void requirePkcs11Tool() {
    require(onPath("pkcs11-tool"), "pkcs11-tool (Debian package opensc) is not installed");
  }

  private static Map<String, Token> make() {
    String conf = System.getenv("SOFTHSM2_CONF");
    require(conf != null && !conf.isBlank(), "SOFTHSM2_CONF is not set (surefire sets it; run the test with Maven)");
    require(pin() != null && !pin().isEmpty(), PIN_ENV + " is not set (surefire sets it; run the test with Maven)");
    library = LIBRARIES.stream().filter(l -> Files.isRegularFile(Path.of(l))).findFirst().orElse(null);
    require(library != null && onPath("softhsm2-util"), "SoftHSM2 is not installed (Debian package softhsm2: no "
        + "libsofthsm2.so in " + LIBRARIES + " or no softhsm2-util)");
    try {
      Path dir = Path.of(conf).toAbsolutePath().getParent();
      Path tokenDir = dir.resolve("tokens");
      if (Files.exists(tokenDir)) {
        try (Stream<Path> old = Files.walk(tokenDir)) {
          for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(tokenDir);
      Files.writeString(Path.of(conf), "directories.tokendir = " + tokenDir + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot prepare the SoftHSM2 directory of " + conf, e);
    }
    Map<String, Token> made = new LinkedHashMap<>();
    for (String label : List.of(MAIN, SPARE)) {
      String out = run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN,
          "--pin", pin()));
      Matcher m = SLOT.matcher(out);
      if (!m.find()) {
        throw new AssertionError("softhsm2-util did not say which slot token " + label + " went to: " + out);
      }
      made.put(label, new Token(label, Long.parseLong(m.group(1))));
    }
    Matcher free = Pattern.compile("Slot (\\d+)\\s+Slot info:(?:(?!\nSlot ).)*?Initialized:\\s+no", Pattern.DOTALL)
        .matcher(run(List.of("softhsm2-util", "--show-slots")));
    if (free.find()) {
      uninitialisedSlot = Long.parseLong(free.group(1));
    }
    if (onPath("pkcs11-tool")) {
      tokens = made;
      pkcs11Tool(made.get(MAIN), "--keygen", "--key-type", "AES:32", "--label", READABLE_KEY, "--extractable");
    }
    return made;
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(command.get(0) + " " + command.get(command.size() > 1 ? 1 : 0) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command.get(0), e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  private static void require(boolean present, String message) {
    if (!present) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + "; under CI=true this is a failure (.ci/run installs SoftHSM2)");
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
  }
}
