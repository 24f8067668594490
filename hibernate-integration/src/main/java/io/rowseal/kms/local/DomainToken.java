package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.AesGcm;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Exported Domain Token (EDT): how one HSM shares a new domain key DK with the others without
 * DK ever leaving HSM memory in the clear (Campagna–Gueron 2019, §3).
 *
 * <pre>
 * offset        size   field (integers big-endian)
 * 0             1      version = 0x02 (0x01: written by rowseal before CMK rows were authenticated)
 * 1             8      DK generation (u64)
 * 9             8      created at, epoch milliseconds (i64)
 * 17            2      issuing HSM index (u16)
 * 19            2      recipient count n (u16, 1..64)              -- bytes [0,21) are the "header"
 * 21            60     DK sealed under the one-time key ℓ: IV(12) ‖ AES-256-GCM_ℓ(DK)(32) ‖ tag(16),
 *                      AAD = header
 * 81            127·n  recipient entries, index strictly ascending:
 *                        HSM index (u16) ‖ ephemeral public point E_j, uncompressed SEC 1 (65)
 *                        ‖ ℓ sealed under K_j: IV(12) ‖ AES-256-GCM_{K_j}(ℓ)(32) ‖ tag(16),
 *                        AAD = header ‖ index
 * 81+127n       2      signature length s (u16, 8..72)
 * 83+127n       s      ECDSA P-256/SHA-256 signature, canonical DER, by the issuing HSM over
 *                      bytes [0, 81+127n)
 * </pre>
 * {@code K_j = HKDF-SHA256(IKM = ECDH(e_j, Q_j), salt = none, info = "rowseal/edt/v1" ‖ header ‖
 * index ‖ E_j)}, with a fresh ephemeral key pair {@code e_j} per recipient and {@code Q_j} the
 * recipient HSM's public key. A recipient accepts the token only if the issuer is a domain member,
 * the signature verifies under that member's key, an entry is addressed to it and both seals open.
 *
 * <p>Versions 1 and 2 have the same layout. Version 2 also declares, under the issuer's signature, that
 * the domain authenticates its CMK rows ({@link CmkStateMac}): while the current generation's token is
 * version 2, a CMK row without a MAC is refused instead of being trusted on first use. An attacker who
 * can only write the tables can neither forge such a token nor turn it back into version 1.
 */
final class DomainToken {
  /** The version this rowseal issues. */
  static final byte VERSION = 2;
  /** The version of rowseal releases that did not authenticate CMK rows; still read. */
  static final byte VERSION_1 = 1;
  static final int HEADER_LENGTH = 21;
  static final int SEALED_KEY_LENGTH = AesGcm.OVERHEAD + 32;
  static final int ENTRY_LENGTH = 2 + EcP256.POINT_LENGTH + SEALED_KEY_LENGTH;
  static final int MAX_RECIPIENTS = 64;
  static final int MIN_SIGNATURE_LENGTH = 8;
  static final int MAX_SIGNATURE_LENGTH = 72;
  private static final byte[] HKDF_LABEL = "rowseal/edt/v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] token;
  private final byte version;
  private final long generation;
  private final Instant createdAt;
  private final int issuer;
  private final int recipients;
  private final int bodyLength;

  private DomainToken(byte[] token, long generation, Instant createdAt, int issuer, int recipients) {
    this.token = token;
    this.version = token[0];
    this.generation = generation;
    this.createdAt = createdAt;
    this.issuer = issuer;
    this.recipients = recipients;
    this.bodyLength = HEADER_LENGTH + SEALED_KEY_LENGTH + recipients * ENTRY_LENGTH;
  }

  /** Builds and signs a token that gives {@code domainKey} to every HSM in {@code recipients}. */
  static byte[] issue(int issuer, PrivateKey issuerKey, long generation, Instant createdAt,
      SortedMap<Integer, ECPublicKey> recipients, KeyMaterial domainKey, RandomSource random) {
    return issue(VERSION, issuer, issuerKey, generation, createdAt, recipients, domainKey, random);
  }

  /** {@link #issue(int, PrivateKey, long, Instant, SortedMap, KeyMaterial, RandomSource)} of {@code version}. */
  static byte[] issue(byte version, int issuer, PrivateKey issuerKey, long generation, Instant createdAt,
      SortedMap<Integer, ECPublicKey> recipients, KeyMaterial domainKey, RandomSource random) {
    if (version != VERSION && version != VERSION_1) {
      throw new IllegalArgumentException("domain token version must be " + VERSION_1 + " or " + VERSION
          + ", was " + version);
    }
    if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("a domain token has 1 to " + MAX_RECIPIENTS
          + " recipients, was " + recipients.size());
    }
    int n = recipients.size();
    ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + SEALED_KEY_LENGTH + n * ENTRY_LENGTH
        + 2 + MAX_SIGNATURE_LENGTH);
    out.put(version).putLong(generation).putLong(createdAt.toEpochMilli())
        .putShort((short) issuer).putShort((short) n);
    byte[] header = Arrays.copyOf(out.array(), HEADER_LENGTH);
    KeyMaterial oneTime = KeyMaterial.random256Of(random);
    try {
      try (KeyMaterial.Lease dk = domainKey.lease()) {
        out.put(AesGcm.encrypt(oneTime, random, dk.bytes(), header));
      }
      for (var r : recipients.entrySet()) {
        KeyPair ephemeral = EcP256.generateKeyPair();
        byte[] point = EcP256.encodePoint((ECPublicKey) ephemeral.getPublic());
        KeyMaterial k = entryKey(ephemeral.getPrivate(), r.getValue(), header, r.getKey(), point);
        try (KeyMaterial.Lease l = oneTime.lease()) {
          out.putShort((short) r.getKey().intValue()).put(point)
              .put(AesGcm.encrypt(k, random, l.bytes(), entryAad(header, r.getKey())));
        } finally {
          k.destroy();
        }
      }
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("a recipient's public key is not a valid P-256 key", e);
    } finally {
      oneTime.destroy();
    }
    int bodyLength = out.position();
    byte[] signature = EcP256.sign(issuerKey, Arrays.copyOf(out.array(), bodyLength));
    out.putShort((short) signature.length).put(signature);
    return Arrays.copyOf(out.array(), out.position());
  }

  /** Checks the token's structure (not yet its signature or seals). */
  static DomainToken parse(byte[] token) throws IntegrityException {
    if (token.length < HEADER_LENGTH + SEALED_KEY_LENGTH + ENTRY_LENGTH + 2 + MIN_SIGNATURE_LENGTH) {
      throw new IntegrityException("domain token is truncated");
    }
    ByteBuffer in = ByteBuffer.wrap(token);
    byte version = in.get();
    if (version != VERSION && version != VERSION_1) {
      throw new IntegrityException("domain token has an unknown version");
    }
    long generation = in.getLong();
    Instant createdAt = Instant.ofEpochMilli(in.getLong());
    int issuer = Short.toUnsignedInt(in.getShort());
    int n = Short.toUnsignedInt(in.getShort());
    DomainToken t = new DomainToken(token, generation, createdAt, issuer, n);
    // the count is checked against the length before any entry is read, so no count can read past the end
    if (n < 1 || n > MAX_RECIPIENTS || t.bodyLength + 2 + MIN_SIGNATURE_LENGTH > token.length) {
      throw new IntegrityException("domain token is malformed");
    }
    int previous = -1;
    for (int i = 0; i < n; i++) {
      int index = t.entryIndex(i);
      if (index <= previous) {
        throw new IntegrityException("domain token is malformed");
      }
      previous = index;
    }
    int sigLength = Short.toUnsignedInt(ByteBuffer.wrap(token, t.bodyLength, 2).getShort());
    if (sigLength < MIN_SIGNATURE_LENGTH || sigLength > MAX_SIGNATURE_LENGTH
        || t.bodyLength + 2 + sigLength != token.length) {
      throw new IntegrityException("domain token is malformed");
    }
    return t;
  }

  /** 2, or 1 for a token of a domain whose CMK rows were not yet authenticated. */
  byte version() {
    return version;
  }

  long generation() {
    return generation;
  }

  Instant createdAt() {
    return createdAt;
  }

  int issuer() {
    return issuer;
  }

  /** True when the issuer's signature over the body verifies under {@code issuerKey}. */
  boolean signedBy(ECPublicKey issuerKey) {
    byte[] body = Arrays.copyOf(token, bodyLength);
    byte[] signature = Arrays.copyOfRange(token, bodyLength + 2, token.length);
    return EcP256.verify(issuerKey, body, signature);
  }

  /** Opens the entry addressed to HSM {@code index} and returns DK. */
  KeyMaterial open(int index, PrivateKey ownKey) throws IntegrityException {
    byte[] header = Arrays.copyOf(token, HEADER_LENGTH);
    for (int i = 0; i < recipients; i++) {
      if (entryIndex(i) != index) {
        continue;
      }
      int at = HEADER_LENGTH + SEALED_KEY_LENGTH + i * ENTRY_LENGTH + 2;
      byte[] point = Arrays.copyOfRange(token, at, at + EcP256.POINT_LENGTH);
      KeyMaterial k;
      try {
        k = entryKey(ownKey, EcP256.publicKeyFromPoint(point), header, index, point);
      } catch (InvalidKeyException e) {
        throw new IntegrityException("domain token does not verify");
      }
      byte[] l;
      try {
        l = AesGcm.decrypt(k, token, at + EcP256.POINT_LENGTH, SEALED_KEY_LENGTH,
            entryAad(header, index));
      } finally {
        k.destroy();
      }
      KeyMaterial oneTime = KeyMaterial.copyOf(l);
      Arrays.fill(l, (byte) 0);
      try {
        byte[] dk = AesGcm.decrypt(oneTime, token, HEADER_LENGTH, SEALED_KEY_LENGTH, header);
        KeyMaterial domainKey = KeyMaterial.copyOf(dk);
        Arrays.fill(dk, (byte) 0);
        return domainKey;
      } finally {
        oneTime.destroy();
      }
    }
    throw new IntegrityException("domain token is not addressed to HSM " + index);
  }

  private int entryIndex(int i) {
    int at = HEADER_LENGTH + SEALED_KEY_LENGTH + i * ENTRY_LENGTH;
    return Short.toUnsignedInt(ByteBuffer.wrap(token, at, 2).getShort());
  }

  /** {@code K_j}: HKDF over the ECDH secret, bound to the header, the recipient and E_j. */
  private static KeyMaterial entryKey(PrivateKey own, ECPublicKey peer, byte[] header, int index,
      byte[] ephemeralPoint) throws InvalidKeyException {
    byte[] z = EcP256.agree(own, peer);
    byte[] info = ByteBuffer.allocate(HKDF_LABEL.length + header.length + 2 + ephemeralPoint.length)
        .put(HKDF_LABEL).put(header).putShort((short) index).put(ephemeralPoint).array();
    byte[] k = hkdfSha256(z, info);
    Arrays.fill(z, (byte) 0);
    KeyMaterial key = KeyMaterial.copyOf(k);
    Arrays.fill(k, (byte) 0);
    return key;
  }

  /**
   * HKDF-SHA256 (RFC 5869) without salt, 32 bytes of output: {@code PRK = HMAC(0^32, ikm)}, {@code OKM = T(1) =
   * HMAC(PRK, info ‖ 0x01)}. On the JDK's HMAC rather than Bouncy Castle's {@code HKDFBytesGenerator} (the same
   * bytes, checked against RFC 5869's test case 3 and the golden domain tokens): opening a domain token is on
   * every LocalKms start, and Bouncy Castle's signed jar costs a fresh JVM more to open than the HKDF itself.
   */
  static byte[] hkdfSha256(byte[] ikm, byte[] info) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      Arrays.fill(prk, (byte) 0);
      mac.update(info);
      mac.update((byte) 1);
      byte[] okm = mac.doFinal();
      // the Mac keeps the PRK's pads until re-keyed: re-key it before it is dropped
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no HmacSHA256", e);
    }
  }

  private static byte[] entryAad(byte[] header, int index) {
    return ByteBuffer.allocate(header.length + 2).put(header).putShort((short) index).array();
  }

  @Override
  public String toString() {
    return "DomainToken(generation=" + generation + ", issuer=HSM " + issuer + ", recipients="
        + recipients + ", " + token.length + " bytes, version " + version + ")";
  }
}
