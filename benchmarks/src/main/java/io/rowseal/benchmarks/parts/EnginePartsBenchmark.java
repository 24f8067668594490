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
  /** Value format 2's row header: 23 + 7 bytes for key id {@code default} (docs/FORMAT.md). */
  private final byte[] header = new byte[30];
  private final byte[] iv = new byte[12];
  private final byte[] freshKey = new byte[32];
  private final byte[] twelve = new byte[12];
  private final byte[] fortyEight = new byte[48];
  private final byte[] nonce = new byte[16];
  private final byte[] n16 = new byte[16];
  /** A canonical row of the macro's entity: name, id, three stored values (286 B), tags: ≈ 330 bytes. */
  private final byte[] canonicalRow = new byte[330];
  private final byte[] footerHead = new byte[31];
  private static final byte[] FOOTER_LABEL = "rowseal/row-mac/v3".getBytes(StandardCharsets.UTF_8);
  private java.io.FileInputStream urandom;
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
    try {
      urandom = new java.io.FileInputStream("/dev/urandom");
    } catch (java.io.FileNotFoundException e) {
      urandom = null; // not Linux: the part is reported as not measured
    }
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

  /**
   * A row write's N as the engine draws it: 16 bytes from the thread's Hash_DRBG with prediction
   * resistance (a reseed from the operating system before the draw; docs/KEY-HIERARCHY.md, "Randomness").
   */
  @Benchmark
  public byte[] engineKeyBytes16() {
    engineRandom.nextKeyBytes(n16);
    return n16;
  }

  /**
   * The cheapest fresh entropy the JDK reaches: one unbuffered 16-byte {@code read} of /dev/urandom (one
   * system call, no DRBG). What any design that needs the operating system's entropy per row write pays at
   * least.
   */
  @Benchmark
  public byte[] urandomRead16() throws java.io.IOException {
    if (urandom == null || urandom.read(n16) != 16) {
      throw new java.io.IOException("short read from /dev/urandom");
    }
    return n16;
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

  /** The same as the engine derives row keys: the HMAC keyed with the branch key kept with it. */
  @Benchmark
  public KeyMaterial kbkdfDeriveFromCached() {
    nonce[0]++;
    KeyMaterial k = Kbkdf.deriveFromCached(branchKey, LABEL, nonce, 0, nonce.length);
    k.destroy();
    return k;
  }

  /**
   * What the design's row footer costs on each side (write or read) at least: the MAC key derived from the
   * row's key (one KBKDF) and one HMAC-SHA256 over the footer's head and the canonical row.
   */
  @Benchmark
  public byte[] footerMac() {
    nonce[0]++;
    KeyMaterial macKey = Kbkdf.derive(branchKey, FOOTER_LABEL, nonce);
    try {
      return io.rowseal.crypto.HmacSha256.mac(macKey, footerHead, 0, footerHead.length, canonicalRow);
    } finally {
      macKey.destroy();
    }
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
