package io.rowseal.benchmarks.contenders;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.util.text.AES256TextEncryptor;

/**
 * Jasypt's password-based text encryptors with their defaults, one call per field: what many Spring
 * applications use for "encrypted columns". Every call runs the PBE key derivation (1,000 iterations)
 * with a fresh salt. Stored per field: the Base64 text Jasypt returns (ASCII, so one byte a character).
 */
public final class JasyptText implements RowCipher<String[]> {
  private final String name;
  private final UnaryOperator<String> encryptor;
  private final UnaryOperator<String> decryptor;

  private JasyptText(String name, UnaryOperator<String> encryptor, UnaryOperator<String> decryptor) {
    this.name = name;
    this.encryptor = encryptor;
    this.decryptor = decryptor;
  }

  /** {@code StandardPBEStringEncryptor} with defaults: PBEWithMD5AndDES, 1,000 iterations, Base64. */
  public static JasyptText standardDefaults(String password) {
    StandardPBEStringEncryptor e = new StandardPBEStringEncryptor();
    e.setPassword(password);
    return new JasyptText("Jasypt StandardPBEStringEncryptor (defaults)", e::encrypt, e::decrypt);
  }

  /** {@code AES256TextEncryptor}: PBEWithHMACSHA512AndAES_256, 1,000 iterations, random IV, Base64. */
  public static JasyptText aes256(String password) {
    AES256TextEncryptor e = new AES256TextEncryptor();
    e.setPassword(password);
    return new JasyptText("Jasypt AES256TextEncryptor", e::encrypt, e::decrypt);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String[] encrypt(Row row) {
    return new String[] {
        encryptor.apply(row.code()), encryptor.apply(row.email()), encryptor.apply(row.address())};
  }

  @Override
  public Row decrypt(String[] stored) {
    return new Row(decryptor.apply(stored[0]), decryptor.apply(stored[1]), decryptor.apply(stored[2]));
  }

  @Override
  public int storedBytes(String[] stored) {
    int n = 0;
    for (String s : stored) {
      n += s.getBytes(StandardCharsets.US_ASCII).length;
    }
    return n;
  }
}
