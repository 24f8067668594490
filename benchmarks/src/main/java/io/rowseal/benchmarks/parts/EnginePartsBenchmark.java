package io.rowseal.benchmarks.parts;

import io.rowseal.crypto.Kbkdf;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import io.rowseal.keystore.BranchKeyRef;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the parts of the engine's hot path cost on this JVM, one at a time: the figures behind the
 * profile findings' expected gains. AES-GCM over 32 bytes with a key the thread's {@code Cipher} already
 * holds versus a new key (the AES key schedule is rebuilt), with a short versus the engine's header AAD;
 * the engine's thread-local DRBG versus the JDK's default {@code SecureRandom}; one KBKDF derivation;
 * and parsing a branch-key reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnginePartsBenchmark {
  private static final byte[] LABEL = "rowseal/dek/v1".getBytes(StandardCharsets.UTF_8);

  private final byte[] plaintext = new byte[32];
  private final byte[] out = new byte[32 + 16];
  private final byte[] attribute = "Customer.email".getBytes(StandardCharsets.UTF_8);
  private final byte[] header = new byte[78];
  private final byte[] iv = new byte[12];
  private final byte[] freshKey = new byte[32];
  private final byte[] twelve = new byte[12];
  private final byte[] fortyEight = new byte[48];
  private final byte[] nonce = new byte[16];
  private final byte[] keyIdBytes = "default".getBytes(StandardCharsets.US_ASCII);
  private Cipher cipher;
  private SecretKeySpec staticKey;
  private SecureRandom jdkDefault;
  private RandomSource engineRandom;
  private KeyMaterial branchKey;
  private long counter;

  @Setup
  public void setUp() throws GeneralSecurityException {
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    staticKey = new SecretKeySpec(k, "AES");
    jdkDefault = new SecureRandom();
    engineRandom = RandomSource.secure();
    branchKey = KeyMaterial.copyOf(k);
  }

  private void nextIv() {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      iv[i] = (byte) (c >>> (8 * i));
    }
  }

  @Benchmark
  public byte[] gcm32SameKeyShortAad() throws GeneralSecurityException {
    nextIv();
    cipher.init(Cipher.ENCRYPT_MODE, staticKey, new GCMParameterSpec(128, iv));
    cipher.updateAAD(attribute);
    cipher.doFinal(plaintext, 0, 32, out, 0);
    return out;
  }

  @Benchmark
  public byte[] gcm32SameKeyHeaderAad() throws GeneralSecurityException {
    nextIv();
    cipher.init(Cipher.ENCRYPT_MODE, staticKey, new GCMParameterSpec(128, iv));
    // As the engine does it: header ‖ attribute name joined per value, one updateAAD call.
    byte[] aad = new byte[header.length + attribute.length];
    System.arraycopy(header, 0, aad, 0, header.length);
    System.arraycopy(attribute, 0, aad, header.length, attribute.length);
    cipher.updateAAD(aad);
    cipher.doFinal(plaintext, 0, 32, out, 0);
    return out;
  }

  @Benchmark
  public byte[] gcm32NewKeyShortAad() throws GeneralSecurityException {
    nextIv();
    freshKey[0]++;
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(freshKey, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(attribute);
    cipher.doFinal(plaintext, 0, 32, out, 0);
    return out;
  }

  @Benchmark
  public byte[] engineDrbg12() {
    engineRandom.nextBytes(twelve);
    return twelve;
  }

  @Benchmark
  public byte[] engineDrbg48() {
    engineRandom.nextBytes(fortyEight);
    return fortyEight;
  }

  @Benchmark
  public byte[] jdkDefaultSecureRandom12() {
    jdkDefault.nextBytes(twelve);
    return twelve;
  }

  @Benchmark
  public KeyMaterial kbkdfDerive() {
    nonce[0]++;
    KeyMaterial k = Kbkdf.derive(branchKey, LABEL, nonce);
    k.destroy();
    return k;
  }

  @Benchmark
  public BranchKeyRef parseBranchKeyRef() {
    return new BranchKeyRef(new String(keyIdBytes, StandardCharsets.US_ASCII), 1);
  }

  @Benchmark
  public byte[] attributeNameToUtf8() {
    return "Customer.address".getBytes(StandardCharsets.UTF_8);
  }
}
