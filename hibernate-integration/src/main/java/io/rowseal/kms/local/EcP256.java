package io.rowseal.kms.local;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDH and ECDSA on NIST P-256 (secp256r1) — key generation, ECDH and signing on the JDK's SunEC
 * provider, signature verification on SunEC with Bouncy Castle as the second opinion (see {@link #verify})
 * — with the checks the HSMs rely on made explicit rather than left to the provider:
 * <ul>
 *   <li>every public key is checked to be on P-256 itself (named or explicit parameters equal to
 *       P-256's, point on the curve, not at infinity) before any key agreement — the invalid-curve
 *       attack;</li>
 *   <li>signatures are accepted only in canonical DER ({@code SEQUENCE {INTEGER r, INTEGER s}}, minimal
 *       lengths and integers, nothing trailing), so one signature has exactly one encoding.</li>
 * </ul>
 * Stateless and thread-safe; tested against Wycheproof.
 */
final class EcP256 {
  /** Length of an uncompressed SEC 1 point: {@code 0x04 ‖ x(32) ‖ y(32)}. */
  static final int POINT_LENGTH = 65;
  private static final int COORDINATE_LENGTH = 32;
  private static final ECParameterSpec P256 = p256();

  private EcP256() {}

  static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no EC key generation on secp256r1", e);
    }
  }

  /** Decodes an X.509 SubjectPublicKeyInfo and checks that it is a valid point of P-256. */
  static ECPublicKey publicKeyFromX509(byte[] der) throws InvalidKeyException {
    try {
      if (KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der))
          instanceof ECPublicKey key) {
        return checked(key);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("not a P-256 public key: " + e.getClass().getSimpleName());
    }
    throw new InvalidKeyException("not an EC public key");
  }

  /** Decodes an uncompressed SEC 1 point and checks that it is on P-256. */
  static ECPublicKey publicKeyFromPoint(byte[] point) throws InvalidKeyException {
    if (point.length != POINT_LENGTH || point[0] != 0x04) {
      throw new InvalidKeyException("not an uncompressed P-256 point");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + COORDINATE_LENGTH));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + COORDINATE_LENGTH, POINT_LENGTH));
    requireOnCurve(new ECPoint(x, y));
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("not a P-256 public key: " + e.getClass().getSimpleName());
    }
  }

  /** The uncompressed SEC 1 encoding of {@code key}. */
  static byte[] encodePoint(ECPublicKey key) {
    byte[] out = new byte[POINT_LENGTH];
    out[0] = 0x04;
    putUnsigned(key.getW().getAffineX(), out, 1);
    putUnsigned(key.getW().getAffineY(), out, 1 + COORDINATE_LENGTH);
    return out;
  }

  /** A private key from its scalar (tests, vectors). */
  static ECPrivateKey privateKeyFromScalar(BigInteger s) throws InvalidKeyException {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, P256));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("not a P-256 private key: " + e.getClass().getSimpleName());
    }
  }

  /** ECDH: the x-coordinate of {@code d·Q}, 32 bytes, after checking {@code Q}. */
  static byte[] agree(PrivateKey privateKey, ECPublicKey peer) throws InvalidKeyException {
    checked(peer);
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(privateKey);
      ka.doPhase(peer, true);
      return ka.generateSecret();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("ECDH failed: " + e.getClass().getSimpleName());
    }
  }

  /** ECDSA with SHA-256; returns the DER signature. */
  static byte[] sign(PrivateKey privateKey, byte[] message) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Verifies a canonical-DER ECDSA/SHA-256 signature; any malformed input is simply {@code false}.
   * The JDK 17 SunEC verifier rejects some valid signatures (Wycheproof tcId 350 and 479, both with
   * {@code s = n - 1}) but accepts no invalid one, so a signature SunEC accepts is valid, and one it rejects
   * is decided by Bouncy Castle's {@code ECDSASigner}: the answer is Bouncy Castle's, as before. Asking SunEC
   * first keeps Bouncy Castle's signed jar unopened while every signature checks out: the JDK verifies its
   * 818 kB signature file and digests every class loaded from it, a cost every LocalKms start paid in a
   * fresh JVM (benchmarks/README.md, "Start-up").
   */
  static boolean verify(ECPublicKey publicKey, byte[] message, byte[] signature) {
    BigInteger[] rs = canonicalDer(signature);
    if (rs == null) {
      return false;
    }
    try {
      checked(publicKey);
      Signature jdk = Signature.getInstance("SHA256withECDSA");
      jdk.initVerify(publicKey);
      jdk.update(message);
      if (jdk.verify(signature)) {
        return true;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // SunEC's refusal is not the verdict: Bouncy Castle's below is
    }
    return BouncyCastleVerifier.verify(publicKey, message, rs);
  }

  /** The second opinion; its own class, so that Bouncy Castle is loaded only when it is asked. */
  private static final class BouncyCastleVerifier {
    private static final ECDomainParameters BC_P256 =
        new ECDomainParameters(ECNamedCurveTable.getByName("secp256r1"));

    static boolean verify(ECPublicKey publicKey, byte[] message, BigInteger[] rs) {
      try {
        checked(publicKey);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(BC_P256.getCurve().decodePoint(encodePoint(publicKey)),
            BC_P256));
        return verifier.verifySignature(MessageDigest.getInstance("SHA-256").digest(message), rs[0], rs[1]);
      } catch (GeneralSecurityException | RuntimeException e) {
        return false;
      }
    }
  }

  /**
   * {@code (r, s)} when {@code sig} is exactly the DER encoding of two positive INTEGERs, else
   * {@code null}: one signature has one encoding, whatever a provider's decoder would tolerate. Decoded
   * leniently, then encoded again the one DER way ({@link BigInteger#toByteArray} is the minimal two's
   * complement of an INTEGER's contents) and compared byte for byte: anything but that encoding differs.
   */
  static BigInteger[] canonicalDer(byte[] sig) {
    // SEQUENCE (short-form length: two P-256 INTEGERs take at most 2 * 35 bytes) { INTEGER r, INTEGER s }
    if (sig == null || sig.length < 8 || sig[0] != 0x30 || sig[2] != 0x02) {
      return null;
    }
    int rLength = sig[3] & 0xff;
    int sAt = 4 + rLength;
    if (rLength == 0 || sAt + 2 > sig.length || sig[sAt] != 0x02) {
      return null;
    }
    int sLength = sig[sAt + 1] & 0xff;
    if (sLength == 0 || sAt + 2 + sLength > sig.length) {
      return null;
    }
    BigInteger r = new BigInteger(Arrays.copyOfRange(sig, 4, sAt));
    BigInteger s = new BigInteger(Arrays.copyOfRange(sig, sAt + 2, sAt + 2 + sLength));
    if (r.signum() <= 0 || s.signum() <= 0 || !Arrays.equals(der(r, s), sig)) {
      return null;
    }
    return new BigInteger[] {r, s};
  }

  /** The DER encoding of {@code SEQUENCE {INTEGER r, INTEGER s}} for values of at most 61 bytes each. */
  private static byte[] der(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    int body = 2 + rb.length + 2 + sb.length;
    if (body > 127) {
      return new byte[0]; // longer than any P-256 signature: the comparison fails
    }
    byte[] out = new byte[2 + body];
    out[0] = 0x30;
    out[1] = (byte) body;
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }

  private static ECPublicKey checked(ECPublicKey key) throws InvalidKeyException {
    ECParameterSpec p = key.getParams();
    if (!sameCurve(p)) {
      throw new InvalidKeyException("public key is not on P-256");
    }
    requireOnCurve(key.getW());
    return key;
  }

  private static boolean sameCurve(ECParameterSpec p) {
    return p != null
        && p.getCurve().getField() instanceof ECFieldFp f
        && f.getP().equals(prime())
        && p.getCurve().getA().equals(P256.getCurve().getA())
        && p.getCurve().getB().equals(P256.getCurve().getB())
        && p.getGenerator().equals(P256.getGenerator())
        && p.getOrder().equals(P256.getOrder())
        && p.getCofactor() == P256.getCofactor();
  }

  private static void requireOnCurve(ECPoint w) throws InvalidKeyException {
    if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
      throw new InvalidKeyException("public key is the point at infinity");
    }
    BigInteger p = prime();
    BigInteger x = w.getAffineX();
    BigInteger y = w.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      throw new InvalidKeyException("public key coordinates out of range");
    }
    BigInteger a = P256.getCurve().getA();
    BigInteger b = P256.getCurve().getB();
    BigInteger rhs = x.pow(3).add(a.multiply(x)).add(b).mod(p);
    if (!y.pow(2).mod(p).equals(rhs)) {
      throw new InvalidKeyException("public key is not a point of P-256");
    }
  }

  private static BigInteger prime() {
    return ((ECFieldFp) P256.getCurve().getField()).getP();
  }

  private static void putUnsigned(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, COORDINATE_LENGTH);
    System.arraycopy(b, b.length - len, out, offset + COORDINATE_LENGTH - len, len);
  }

  /** P-256's parameters as SunEC names them, without making a key pair for them. */
  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no EC parameters for secp256r1", e);
    }
  }
}
