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

  /** The floor's per-field AES-256-GCM ({@link FloorAesGcm#encryptField}) as a converter. */
  public static final class FloorConverter implements AttributeConverter<String, byte[]> {
    private static final SecretKeySpec KEY = new SecretKeySpec(new SecureRandom().generateSeed(32), "AES");
    private static final byte[] AAD = FloorAesGcm.aad(1);

    @Override
    public byte[] convertToDatabaseColumn(String attribute) {
      try {
        return attribute == null ? null
            : FloorAesGcm.encryptField(KEY, attribute.getBytes(StandardCharsets.UTF_8), AAD);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("floor encryption failed", e);
      }
    }

    @Override
    public String convertToEntityAttribute(byte[] value) {
      try {
        return value == null ? null
            : new String(FloorAesGcm.decryptField(KEY, value, AAD), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("floor decryption failed", e);
      }
    }
  }
}
