package io.rowseal.benchmarks.contenders;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Google Tink's AES256_GCM {@link Aead}, one call per field with the attribute name as associated data.
 * Stored per field: Tink's output prefix (5 bytes) ‖ IV(12) ‖ ciphertext ‖ tag(16).
 */
public final class TinkAead implements RowCipher<byte[][]> {
  private static final byte[][] AAD = {
      Row.CODE.getBytes(StandardCharsets.UTF_8),
      Row.EMAIL.getBytes(StandardCharsets.UTF_8),
      Row.ADDRESS.getBytes(StandardCharsets.UTF_8)};

  private final Aead aead;

  public TinkAead() throws GeneralSecurityException {
    AeadConfig.register();
    KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  @Override
  public String name() {
    return "Tink AES256_GCM Aead";
  }

  @Override
  public byte[][] encrypt(Row row) throws GeneralSecurityException {
    return new byte[][] {
        aead.encrypt(row.code().getBytes(StandardCharsets.UTF_8), AAD[0]),
        aead.encrypt(row.email().getBytes(StandardCharsets.UTF_8), AAD[1]),
        aead.encrypt(row.address().getBytes(StandardCharsets.UTF_8), AAD[2])};
  }

  @Override
  public Row decrypt(byte[][] stored) throws GeneralSecurityException {
    return new Row(
        new String(aead.decrypt(stored[0], AAD[0]), StandardCharsets.UTF_8),
        new String(aead.decrypt(stored[1], AAD[1]), StandardCharsets.UTF_8),
        new String(aead.decrypt(stored[2], AAD[2]), StandardCharsets.UTF_8));
  }

  @Override
  public int storedBytes(byte[][] stored) {
    return stored[0].length + stored[1].length + stored[2].length;
  }
}
