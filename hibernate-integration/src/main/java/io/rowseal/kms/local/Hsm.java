package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.DeriveKeyWrapper;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.crypto.RandomSource;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One software HSM of the domain. It holds key material only in memory: its own EC private key
 * (identity and EDT decryption) and the domain keys it loaded from EDTs, by generation. It starts with
 * no domain key. CMK key material exists in plaintext only inside one call of this class: made here,
 * sealed into an EKT at once, and opened from the EKT again for each wrap or unwrap.
 *
 * <p>Thread-safe; the caller ({@link KeyRing}) keeps a domain key from being forgotten while in use.
 */
final class Hsm {
  /** KDF label of CMK wraps; the blob form is the one {@code InMemoryCmkProvider} uses. */
  static final String WRAP_LABEL = "rowseal/cmk-wrap";

  private final int index;
  private final PrivateKey privateKey;
  private final SortedMap<Integer, ECPublicKey> members;
  private final RandomSource random;
  private final DeriveKeyWrapper wrapper;
  private final Map<Long, KeyMaterial> domainKeys = new ConcurrentHashMap<>();

  /**
   * @param members every domain member's public key by HSM index, this HSM's included
   */
  Hsm(int index, PrivateKey privateKey, SortedMap<Integer, ECPublicKey> members, RandomSource random) {
    if (!members.containsKey(index)) {
      throw new IllegalArgumentException("HSM " + index + " is not among the domain members " + members.keySet());
    }
    this.index = index;
    this.privateKey = privateKey;
    this.members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    this.random = random;
    this.wrapper = new DeriveKeyWrapper(WRAP_LABEL, random);
  }

  int index() {
    return index;
  }

  /** Makes a new domain key, keeps it, and returns the EDT that shares it with every member. */
  byte[] issueDomainToken(long generation, Instant createdAt) {
    return issueDomainToken(generation, createdAt, DomainToken.VERSION);
  }

  /** {@link #issueDomainToken(long, Instant)} as an EDT of {@code version} (tests model older releases). */
  byte[] issueDomainToken(long generation, Instant createdAt, byte version) {
    KeyMaterial dk = KeyMaterial.random256Of(random);
    byte[] edt = DomainToken.issue(version, index, privateKey, generation, createdAt, members, dk, random);
    install(generation, dk);
    return edt;
  }

  /**
   * Loads the domain key from {@code edt}; refuses a token not signed by a domain member or not
   * addressed to this HSM.
   */
  long loadDomainToken(byte[] edt) throws IntegrityException {
    DomainToken token = DomainToken.parse(edt);
    ECPublicKey issuerKey = members.get(token.issuer());
    if (issuerKey == null || !token.signedBy(issuerKey)) {
      throw new IntegrityException("domain token generation " + token.generation()
          + " refused by HSM " + index + ": not signed by a domain member");
    }
    install(token.generation(), token.open(index, privateKey));
    return token.generation();
  }

  boolean holdsDomainKey(long generation) {
    return domainKeys.containsKey(generation);
  }

  /** Zeroes the domain key of {@code generation}. */
  void forgetDomainKey(long generation) {
    KeyMaterial dk = domainKeys.remove(generation);
    if (dk != null) {
      dk.destroy();
    }
  }

  /** Zeroes every domain key older than {@code generation}. */
  void forgetDomainKeysBefore(long generation) {
    domainKeys.keySet().stream().filter(g -> g < generation).toList().forEach(this::forgetDomainKey);
  }

  void forgetAll() {
    forgetDomainKeysBefore(Long.MAX_VALUE);
  }

  /** Makes new CMK key material and returns it sealed as an EKT under DK {@code generation}. */
  byte[] createKeyToken(KeyToken.Binding binding, long generation) throws IntegrityException {
    KeyMaterial cmk = KeyMaterial.random256Of(random);
    try {
      return KeyToken.seal(domainKey(generation, binding), generation, cmk, binding, random);
    } finally {
      cmk.destroy();
    }
  }

  /** Re-seals an EKT under DK {@code toGeneration} (domain-key rotation). */
  byte[] resealKeyToken(byte[] ekt, KeyToken.Binding binding, long toGeneration)
      throws IntegrityException {
    KeyMaterial cmk = openKeyToken(ekt, binding);
    try {
      return KeyToken.seal(domainKey(toGeneration, binding), toGeneration, cmk, binding, random);
    } finally {
      cmk.destroy();
    }
  }

  /** Derive-key wraps {@code child} under the CMK in {@code ekt}. */
  byte[] wrap(byte[] ekt, KeyToken.Binding binding, KeyMaterial child, byte[] aad)
      throws IntegrityException {
    KeyMaterial cmk = openKeyToken(ekt, binding);
    try {
      return wrapper.wrap(cmk, child, aad);
    } finally {
      cmk.destroy();
    }
  }

  /** Unwraps {@code wrapped[offset, offset+length)} under the CMK in {@code ekt}. */
  KeyMaterial unwrap(byte[] ekt, KeyToken.Binding binding, byte[] wrapped, int offset, int length,
      byte[] aad) throws IntegrityException {
    KeyMaterial cmk = openKeyToken(ekt, binding);
    try {
      return wrapper.unwrap(cmk, wrapped, offset, length, aad);
    } finally {
      cmk.destroy();
    }
  }

  /** The MAC of a CMK row under DK {@code generation} ({@link CmkStateMac}). */
  byte[] cmkStateMac(long generation, KmsTables.CmkRow row) throws IntegrityException {
    KeyMaterial dk = domainKeys.get(generation);
    if (dk == null) {
      throw new IntegrityException("HSM " + index + " holds no domain key of generation " + generation);
    }
    return CmkStateMac.compute(dk, generation, row);
  }

  private KeyMaterial openKeyToken(byte[] ekt, KeyToken.Binding binding) throws IntegrityException {
    return KeyToken.open(domainKey(KeyToken.generation(ekt, binding), binding), ekt, binding);
  }

  private KeyMaterial domainKey(long generation, KeyToken.Binding binding) throws IntegrityException {
    KeyMaterial dk = domainKeys.get(generation);
    if (dk == null) {
      throw new IntegrityException("key token of " + binding + " does not verify");
    }
    return dk;
  }

  private void install(long generation, KeyMaterial dk) {
    KeyMaterial previous = domainKeys.putIfAbsent(generation, dk);
    if (previous != null) {
      boolean same = previous.sameKeyAs(dk);
      dk.destroy();
      if (!same) {
        throw new IllegalStateException("HSM " + index + " already holds a different domain key of generation "
            + generation);
      }
    }
  }

  @Override
  public String toString() {
    return "Hsm(" + index + ", domain keys " + new TreeMap<>(domainKeys).keySet() + ")";
  }
}
