package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.KmsTables.EdtRow;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a LocalKms up from its durable state, or creates that state on a first run. The rules that
 * protect existing data: keys are generated only when neither the keystore nor any durable state
 * exists; durable state without its keystore, a wrong passphrase, a keystore of another domain or a
 * domain token the HSMs refuse each stop the start with a {@link KmsException} naming the cause.
 */
final class DomainStartup {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKms.class);

  private DomainStartup() {}

  /**
   * Opens the domain. Processes that share the tables may start at the same moment on a first run: one
   * creates the domain and the keystore file, the others find them made and open them (one more pass).
   */
  static KeyRing open(LocalKmsConfig config, KmsTables tables) {
    for (int attempt = 1; ; attempt++) {
      try {
        return openOnce(config, tables);
      } catch (CreatedElsewhere | KmsTables.Stale e) {
        if (attempt == KeyRing.MAX_ATTEMPTS) {
          throw new KmsException("RS-2005", "LocalKms could not start after " + attempt + " attempts: each time "
              + "another process sharing tables " + config.tablePrefix() + "* changed the state first ("
              + e.getMessage() + ")", e);
        }
      }
    }
  }

  /** Another process created the domain (or the keystore) between this one's look and its write. */
  private static final class CreatedElsewhere extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CreatedElsewhere(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private static KeyRing openOnce(LocalKmsConfig config, KmsTables tables) {
    HsmKeystore keystore = config.keystore();
    boolean keystoreExists = keystore.exists();
    int length = config.passphrase().length;
    if (!keystoreExists && length < LocalKmsBuilder.MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH) {
      // Before any table or file is written: a refused start leaves nothing behind.
      throw new KmsException("RS-2016", "a new keystore " + keystore + " needs a passphrase of at least "
          + LocalKmsBuilder.MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH + " characters; the configured one has " + length
          + " (a keystore made earlier still opens with " + LocalKmsBuilder.MIN_PASSPHRASE_LENGTH + " or more)");
    }
    tables.createIfAbsent();
    boolean stateExists = tables.hasState();
    SortedMap<Integer, KeyPair> pairs;
    if (keystoreExists) {
      pairs = keystore.load(config.passphrase());
      if (length < LocalKmsBuilder.MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH) {
        LOG.warn("LocalKms keystore {} is protected by a passphrase of {} characters; new keystores need at "
            + "least {}. Change it (keytool -storepasswd -keystore <file> -storetype PKCS12 changes the "
            + "passphrase of the file and of every key in it) and the setting that holds it",
            keystore, length, LocalKmsBuilder.MIN_NEW_KEYSTORE_PASSPHRASE_LENGTH);
      }
    } else if (stateExists) {
      if (keystore.exists()) {
        throw new CreatedElsewhere("keystore " + keystore + " was created by another process", null);
      }
      throw new KmsException("RS-2010", "LocalKms state exists in tables " + config.tablePrefix()
          + "* but its keystore " + keystore + " is missing; without the HSM keys in it the stored "
          + "CMKs cannot be opened. Restore the keystore (and its passphrase); keys are never "
          + "regenerated over existing state");
    } else {
      try {
        pairs = keystore.create(config.hsmCount(), config.passphrase(), config.clock().instant());
      } catch (KmsException | IllegalStateException e) {
        if (keystore.exists()) {
          throw new CreatedElsewhere("keystore " + keystore + " was created by another process", e);
        }
        throw e;
      }
      LOG.info("LocalKms created keystore {} with {} HSM key pairs", keystore, pairs.size());
    }
    Map<Integer, byte[]> stored = tables.hsmPublicKeys();
    requireSameDomain(config, keystore, pairs, stored);

    KeyRing ring = new KeyRing(HsmDomain.of(pairs, config.random(), config.domainTokenVersion()), tables,
        config.clock(), config.random());
    // One consistent read: a rotation by another process running now cannot fall between tokens and rows.
    KmsTables.State state = tables.state();
    List<EdtRow> tokens = state.tokens();
    if (stored.isEmpty()) {
      if (!tokens.isEmpty() || !state.ekts().isEmpty()) {
        if (!tables.hsmPublicKeys().isEmpty()) {
          throw new CreatedElsewhere("the domain in tables " + config.tablePrefix() + "* was created by another "
              + "process", null);
        }
        throw incomplete(config, "domain tokens or EKTs exist but no HSM public keys");
      }
      Instant now = ring.now();
      byte[] edt = ring.domain.issue(1, now);
      Map<Integer, byte[]> publicKeys = new TreeMap<>();
      pairs.forEach((i, kp) -> publicKeys.put(i, kp.getPublic().getEncoded()));
      try {
        tables.initDomain(publicKeys, new EdtRow(1, edt, now));
      } catch (KmsException e) {
        ring.domain.forgetAll();
        if (!tables.hsmPublicKeys().isEmpty()) {
          throw new CreatedElsewhere("the domain in tables " + config.tablePrefix() + "* was created by another "
              + "process", e);
        }
        throw e;
      }
      ring.setGeneration(1, now, ring.domain.tokenVersion());
      AuditLog.domainEvent("CreateDomain", "hsms=" + pairs.size() + " generation=1", "ok");
    } else {
      if (tokens.isEmpty()) {
        throw incomplete(config, "no domain token is stored, so no domain key can be loaded");
      }
      for (EdtRow row : tokens) {
        try {
          long generation = ring.domain.load(row.edt());
          if (generation != row.generation()) {
            throw new IntegrityException("generation column does not match the token");
          }
        } catch (IntegrityException e) {
          ring.domain.forgetAll();
          throw new KmsException("RS-2013", "the HSMs refuse the domain token of generation "
              + row.generation() + " in table " + tables.domainTokenTable()
              + " (modified, or not issued by this domain's HSMs)", e);
        }
      }
      EdtRow current = tokens.get(tokens.size() - 1);
      ring.setGeneration(current.generation(), current.createdAt(), tokenVersion(current));
    }
    try {
      ring.restore(state.cmks(), state.ekts());
    } catch (RuntimeException e) { // KmsTables.Stale too: open again
      ring.domain.forgetAll();
      throw e;
    }
    return ring;
  }

  /** The version of an EDT the HSMs have loaded, so parsed and verified already. */
  static byte tokenVersion(EdtRow row) {
    try {
      return DomainToken.parse(row.edt()).version();
    } catch (IntegrityException e) {
      throw new IllegalStateException("a loaded domain token no longer parses", e);
    }
  }

  private static void requireSameDomain(LocalKmsConfig config, HsmKeystore keystore,
      SortedMap<Integer, KeyPair> pairs, Map<Integer, byte[]> stored) {
    if (!stored.isEmpty()) {
      boolean same = stored.keySet().equals(pairs.keySet()) && stored.entrySet().stream()
          .allMatch(e -> Arrays.equals(e.getValue(), pairs.get(e.getKey()).getPublic().getEncoded()));
      if (!same) {
        throw new KmsException("RS-2012", "keystore " + keystore + " holds the keys of HSMs "
            + pairs.keySet() + " that are not the HSMs of the domain stored in tables "
            + config.tablePrefix() + "* " + stored.keySet() + ": it belongs to another domain");
      }
    }
    if (pairs.size() != config.hsmCount() && config.hsmCountSet()) {
      throw new KmsException("RS-2012", "the domain has " + pairs.size() + " HSMs (keystore "
          + keystore + ") but hsmCount is " + config.hsmCount() + "; changing the domain's size "
          + "is not supported");
    }
    if (pairs.isEmpty() || pairs.firstKey() != 0 || pairs.lastKey() != pairs.size() - 1) {
      throw new KmsException("RS-2012", "keystore " + keystore + " holds HSM entries " + pairs.keySet()
          + ", expected 0.." + (pairs.size() - 1));
    }
  }

  private static KmsException incomplete(LocalKmsConfig config, String what) {
    return new KmsException("RS-2013", "LocalKms state in tables " + config.tablePrefix()
        + "* is incomplete: " + what);
  }
}
