package io.rowseal.kms.local;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.RandomSource;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HSM domain: N {@link Hsm}s that share one domain key per generation through EDTs. Requests are
 * spread over the HSMs round-robin; every HSM holds every live domain key, so any of them can serve
 * any request. Thread-safe.
 */
final class HsmDomain {
  private final List<Hsm> hsms;
  private final byte tokenVersion;
  private final AtomicInteger next = new AtomicInteger();

  private HsmDomain(List<Hsm> hsms, byte tokenVersion) {
    this.hsms = List.copyOf(hsms);
    this.tokenVersion = tokenVersion;
  }

  /** A domain of HSMs with the given key pairs (by index); none holds a domain key yet. */
  static HsmDomain of(SortedMap<Integer, KeyPair> keyPairs, RandomSource random) {
    return of(keyPairs, random, DomainToken.VERSION);
  }

  /** {@link #of(SortedMap, RandomSource)} issuing EDTs of {@code tokenVersion} (tests model older releases). */
  static HsmDomain of(SortedMap<Integer, KeyPair> keyPairs, RandomSource random, byte tokenVersion) {
    SortedMap<Integer, ECPublicKey> members = new TreeMap<>();
    keyPairs.forEach((i, kp) -> members.put(i, (ECPublicKey) kp.getPublic()));
    List<Hsm> hsms = new ArrayList<>();
    keyPairs.forEach((i, kp) -> hsms.add(new Hsm(i, kp.getPrivate(), members, random)));
    return new HsmDomain(hsms, tokenVersion);
  }

  /** The version of the EDTs this domain issues. */
  byte tokenVersion() {
    return tokenVersion;
  }

  int size() {
    return hsms.size();
  }

  /**
   * One HSM (round-robin) makes a new domain key and its EDT; every other HSM then loads that EDT, as
   * a member joining the generation would. Returns the EDT.
   */
  byte[] issue(long generation, Instant createdAt) {
    Hsm issuer = pick();
    byte[] edt = issuer.issueDomainToken(generation, createdAt, tokenVersion);
    try {
      for (Hsm h : hsms) {
        if (h != issuer) {
          h.loadDomainToken(edt);
        }
      }
    } catch (IntegrityException e) {
      forget(generation);
      throw new IllegalStateException("a fresh domain token of generation " + generation
          + " did not verify inside the domain", e);
    }
    return edt;
  }

  /** Every HSM loads {@code edt}; returns its generation. */
  long load(byte[] edt) throws IntegrityException {
    long generation = -1;
    for (Hsm h : hsms) {
      generation = h.loadDomainToken(edt);
    }
    return generation;
  }

  /** Every HSM zeroes the domain key of {@code generation}. */
  void forget(long generation) {
    hsms.forEach(h -> h.forgetDomainKey(generation));
  }

  /** Every HSM zeroes the domain keys older than {@code generation}. */
  void forgetBefore(long generation) {
    hsms.forEach(h -> h.forgetDomainKeysBefore(generation));
  }

  void forgetAll() {
    hsms.forEach(Hsm::forgetAll);
  }

  /** The HSM to serve the next request. */
  Hsm pick() {
    return hsms.get(Math.floorMod(next.getAndIncrement(), hsms.size()));
  }

  @Override
  public String toString() {
    return "HsmDomain" + hsms;
  }
}
