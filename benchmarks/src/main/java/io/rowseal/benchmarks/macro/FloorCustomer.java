package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.contenders.FloorAesGcm;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor in place: {@link PlainCustomer}'s three fields through a hand-written JPA converter doing exactly
 * what the engine's floor does per field (raw JDK AES-256-GCM under one static key, a random 96-bit IV from the
 * thread's {@code SecureRandom}, the same short AAD), with no key hierarchy, no row key and no footer. Measured
 * beside the encrypted entity in the same rounds ({@link MacroSplit}), its time over plaintext is what the
 * floor's cryptography costs inside a Hibernate round, where the micro benchmark's tight loop no longer keeps
 * the cipher's state and code in the CPU's caches.
 */
@Entity
@Table(name = "rsbench_floor")
public class FloorCustomer implements Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbench_floor_seq")
  @SequenceGenerator(name = "rsbench_floor_seq", sequenceName = "rsbench_floor_seq", allocationSize = 50)
  private Long id;
  @Convert(converter = FloorConverter.class)
  private String code;
  @Convert(converter = FloorConverter.class)
  private String email;
  @Convert(converter = FloorConverter.class)
  private String address;

  public FloorCustomer() {}

  public FloorCustomer(String code, String email, String address) {
    this.code = code;
    this.email = email;
    this.address = address;
  }

  @Override
  public Long getId() {
    return id;
  }

  @Override
  public String getCode() {
    return code;
  }

  @Override
  public String getEmail() {
    return email;
  }

  @Override
  public String getAddress() {
    return address;
  }

  /** The floor's per-field AES-256-GCM as a converter (IV ‖ ciphertext ‖ tag). */
  public static final class FloorConverter implements AttributeConverter<String, byte[]> {
    private static final SecretKeySpec KEY = new SecretKeySpec(new SecureRandom().generateSeed(32), "AES");
    private static final byte[] AAD = FloorAesGcm.aad(1);
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(FloorConverter::newCipher);
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    @Override
    public byte[] convertToDatabaseColumn(String attribute) {
      if (attribute == null) {
        return null;
      }
      try {
        byte[] plaintext = attribute.getBytes(StandardCharsets.UTF_8);
        byte[] iv = new byte[FloorAesGcm.IV];
        RANDOM.get().nextBytes(iv);
        byte[] value = new byte[FloorAesGcm.IV + plaintext.length + FloorAesGcm.TAG];
        System.arraycopy(iv, 0, value, 0, FloorAesGcm.IV);
        Cipher c = CIPHER.get();
        c.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(FloorAesGcm.TAG * 8, iv));
        c.updateAAD(AAD);
        c.doFinal(plaintext, 0, plaintext.length, value, FloorAesGcm.IV);
        return value;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("floor encryption failed", e);
      }
    }

    @Override
    public String convertToEntityAttribute(byte[] value) {
      if (value == null) {
        return null;
      }
      try {
        Cipher c = CIPHER.get();
        c.init(Cipher.DECRYPT_MODE, KEY, new GCMParameterSpec(FloorAesGcm.TAG * 8, value, 0, FloorAesGcm.IV));
        c.updateAAD(AAD);
        return new String(c.doFinal(value, FloorAesGcm.IV, value.length - FloorAesGcm.IV), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("floor decryption failed", e);
      }
    }

    private static Cipher newCipher() {
      try {
        return Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK offers no AES/GCM/NoPadding", e);
      }
    }
  }
}
