package io.rowseal.kms.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A self-signed X.509 certificate for an HSM's key pair. PKCS#12 stores a private key only together
 * with a certificate chain; the certificate is that chain, and it also carries the HSM's public key.
 * Built from Bouncy Castle's ASN.1 classes (bcprov) so that no certificate-building library is needed.
 */
final class SelfSignedCertificate {
  private SelfSignedCertificate() {}

  static X509Certificate of(KeyPair keyPair, String commonName, Instant notBefore) {
    try {
      AlgorithmIdentifier ecdsaSha256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
      X500Name name = new X500Name("CN=" + commonName);
      V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
      g.setSerialNumber(new ASN1Integer(BigInteger.valueOf(notBefore.toEpochMilli())));
      g.setSignature(ecdsaSha256);
      g.setIssuer(name);
      g.setSubject(name);
      g.setStartDate(new Time(Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS))));
      g.setEndDate(new Time(Date.from(notBefore.plus(36_500, ChronoUnit.DAYS))));
      g.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()));
      TBSCertificate tbs = g.generateTBSCertificate();
      byte[] signature = EcP256.sign(keyPair.getPrivate(), tbs.getEncoded(ASN1Encoding.DER));
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(tbs);
      v.add(ecdsaSha256);
      v.add(new DERBitString(signature));
      byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build the certificate of " + commonName, e);
    }
  }
}
