package io.rowseal.envelope;

import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The golden vectors of the stored formats ({@code golden/value-v1.properties}, {@code value-v2.properties}) and
 * an envelope that reads them: its CMK hands out the golden branch key, its randomness follows a script.
 * Shared by {@link GoldenVectorTest} and the fuzz targets of the envelope formats.
 */
final class GoldenVectors {
  private static final HexFormat HEX = HexFormat.of();

  private GoldenVectors() {}

  /** The vectors of format {@code version} (1 or 2). */
  static Properties load(int version) {
    Properties p = new Properties();
    try (InputStream in = GoldenVectors.class.getResourceAsStream("/golden/value-v" + version + ".properties")) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** The hex-encoded vector {@code key} of {@code golden} as bytes. */
  static byte[] bytes(Properties golden, String key) {
    return HEX.parseHex(golden.getProperty(key));
  }

  /** An envelope that reads the golden values and draws no random bytes. */
  static Envelope reader(Properties g) {
    return envelope(g, new ArrayDeque<>());
  }

  /** An envelope whose CMK hands out the golden branch key and whose randomness follows {@code script}. */
  static Envelope envelope(Properties g, Deque<byte[]> script) {
    KeyMaterial branchKey = KeyMaterial.copyOf(HEX.parseHex(g.getProperty("branchKey")));
    RandomSource scripted = out -> {
      byte[] next = script.poll();
      if (next == null || next.length != out.length) {
        throw new AssertionError("unscripted random draw of " + out.length + " bytes");
      }
      System.arraycopy(next, 0, out, 0, out.length);
    };
    InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    for (int v = 1; v <= Integer.parseInt(g.getProperty("branchKeyVersion")); v++) {
      store.rotate(g.getProperty("branchKeyId"), "golden-cmk", ref -> new byte[] {1});
    }
    return Envelope.builder().cmkProvider(new FixedKeyCmk(branchKey)).branchKeyStore(store)
        .branchKeyId(g.getProperty("branchKeyId")).cmkId("golden-cmk").random(scripted).build();
  }

  /** A CMK stub whose every data key is the one golden branch key. */
  private record FixedKeyCmk(KeyMaterial key) implements CmkProvider {
    @Override
    public KeyMetadata createKey(String description) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DataKey generateDataKey(String cmkId, EncryptionContext context) {
      return new DataKey(KeyMaterial.copyOf(key.copyBytes()), new byte[] {1});
    }

    @Override
    public byte[] wrap(String cmkId, KeyMaterial k, EncryptionContext context) {
      return new byte[] {1};
    }

    @Override
    public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) {
      return KeyMaterial.copyOf(key.copyBytes());
    }

    @Override
    public KeyMetadata describe(String cmkId) {
      return new KeyMetadata(cmkId, "golden", KeyState.ENABLED, Instant.EPOCH, null, 1);
    }

    @Override
    public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
      throw new UnsupportedOperationException();
    }
  }
}
