package io.rowseal.kms.local;

import io.rowseal.kms.KmsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the HSMs' EC private keys live between runs: a PKCS#12 key store, in a file or (for tests) in a
 * caller-supplied in-memory {@link KeyStore}, every entry protected by the passphrase. Each HSM is one
 * entry {@code rowseal-hsm-<index>}: its private key and a self-signed certificate with its public key.
 *
 * <p>This class never regenerates keys: {@link #create} refuses when the store already exists.
 */
final class HsmKeystore {
  static final String ALIAS_PREFIX = "rowseal-hsm-";

  private final Path file;
  private final KeyStore memory;

  private HsmKeystore(Path file, KeyStore memory) {
    this.file = file;
    this.memory = memory;
  }

  static HsmKeystore file(Path file) {
    return new HsmKeystore(file.toAbsolutePath().normalize(), null);
  }

  static HsmKeystore inMemory(KeyStore keyStore) {
    return new HsmKeystore(null, keyStore);
  }

  boolean exists() {
    try {
      return file != null ? Files.exists(file) : memory.size() > 0;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the in-memory KeyStore was not loaded (call load(null, null))", e);
    }
  }

  /** Reads every HSM key pair. */
  SortedMap<Integer, KeyPair> load(char[] passphrase) {
    KeyStore ks = open(passphrase);
    SortedMap<Integer, KeyPair> pairs = new TreeMap<>();
    try {
      for (String alias : Collections.list(ks.aliases())) {
        if (!alias.startsWith(ALIAS_PREFIX)) {
          continue;
        }
        int index = Integer.parseInt(alias.substring(ALIAS_PREFIX.length()));
        Certificate cert = ks.getCertificate(alias);
        if (!(ks.getKey(alias, passphrase) instanceof PrivateKey key) || cert == null
            || !(cert.getPublicKey() instanceof ECPublicKey pub) || !matches(key, pub)) {
          throw new KmsException("RS-2012", "keystore " + this + " entry '" + alias
              + "' is not an HSM key pair");
        }
        pairs.put(index, new KeyPair(pub, key));
      }
    } catch (UnrecoverableKeyException e) {
      throw wrongPassphrase(e);
    } catch (GeneralSecurityException | NumberFormatException e) {
      throw new KmsException("RS-2012", "keystore " + this + " has unreadable HSM entries", e);
    }
    return pairs;
  }

  /** Generates {@code count} HSM key pairs and stores them; refuses if the store already exists. */
  SortedMap<Integer, KeyPair> create(int count, char[] passphrase, Instant now) {
    if (exists()) {
      throw new IllegalStateException("keystore " + this + " already exists; refusing to overwrite it");
    }
    try {
      KeyStore ks = memory != null ? memory : KeyStore.getInstance("PKCS12");
      if (memory == null) {
        ks.load(null, null);
      }
      SortedMap<Integer, KeyPair> pairs = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        KeyPair kp = EcP256.generateKeyPair();
        ks.setKeyEntry(ALIAS_PREFIX + i, kp.getPrivate(), passphrase,
            new Certificate[] {SelfSignedCertificate.of(kp, "rowseal LocalKms HSM " + i, now)});
        pairs.put(i, kp);
      }
      if (file != null) {
        write(ks, passphrase);
      }
      return pairs;
    } catch (GeneralSecurityException | IOException e) {
      throw new KmsException("RS-2011", "could not create keystore " + this + ": " + e.getMessage(), e);
    }
  }

  private KeyStore open(char[] passphrase) {
    if (memory != null) {
      return memory;
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, passphrase);
      return ks;
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException u) {
        throw wrongPassphrase(u);
      }
      throw new KmsException("RS-2011", "could not read keystore " + this + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new KmsException("RS-2011", "could not read keystore " + this + ": " + e.getMessage(), e);
    }
  }

  private void write(KeyStore ks, char[] passphrase) throws IOException, GeneralSecurityException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.getFileStore(dir).supportsFileAttributeView("posix")
        ? Files.createTempFile(dir, ".localkms", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".localkms", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ks.store(out, passphrase);
      }
      try {
        // A hard link never replaces a file: of two processes creating the keystore at once, one wins and
        // the other fails here, and opens the winner's (DomainStartup).
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException taken) {
        throw taken;
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
        if (Files.exists(file)) {
          throw new FileAlreadyExistsException(file.toString());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A private key matches a public key when a signature by one verifies under the other. */
  private static boolean matches(PrivateKey key, ECPublicKey pub) {
    byte[] probe = "rowseal/keystore-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      return EcP256.verify(pub, probe, EcP256.sign(key, probe));
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private KmsException wrongPassphrase(Exception cause) {
    return new KmsException("RS-2011", "keystore " + this + " cannot be opened with the configured "
        + "passphrase (wrong passphrase, or not a rowseal keystore)", cause);
  }

  @Override
  public String toString() {
    return file != null ? file.toString() : "(in-memory KeyStore)";
  }
}
