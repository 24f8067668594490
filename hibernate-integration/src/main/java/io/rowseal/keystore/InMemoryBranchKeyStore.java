package io.rowseal.keystore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@link BranchKeyStore} in memory: for tests and benchmarks, never for data that must outlive the
 * process (every branch key is lost with it; use {@link JdbcBranchKeyStore}). Thread-safe.
 */
public final class InMemoryBranchKeyStore implements BranchKeyStore {
  private final TreeMap<String, List<BranchKeyRecord>> keys = new TreeMap<>();

  @Override
  public synchronized Optional<BranchKeyRecord> findActive(String keyId) {
    return versions(keyId).stream().filter(r -> r.status() == BranchKeyStatus.ACTIVE).findFirst();
  }

  @Override
  public synchronized Optional<BranchKeyRecord> find(BranchKeyRef ref) {
    List<BranchKeyRecord> v = keys.get(ref.keyId());
    return v == null || ref.version() > v.size() ? Optional.empty() : Optional.of(v.get(ref.version() - 1));
  }

  @Override
  public synchronized List<BranchKeyRecord> versions(String keyId) {
    return List.copyOf(keys.getOrDefault(keyId, List.of()));
  }

  @Override
  public synchronized BranchKeyRecord createIfAbsent(String keyId, String cmkId,
      Function<BranchKeyRef, byte[]> wrapNewKey) {
    return findActive(keyId).orElseGet(() -> rotate(keyId, cmkId, wrapNewKey));
  }

  @Override
  public synchronized BranchKeyRecord rotate(String keyId, String cmkId, Function<BranchKeyRef, byte[]> wrapNewKey) {
    List<BranchKeyRecord> v = keys.computeIfAbsent(keyId, k -> new ArrayList<>());
    for (int i = 0; i < v.size(); i++) {
      BranchKeyRecord r = v.get(i);
      if (r.status() == BranchKeyStatus.ACTIVE) {
        v.set(i, new BranchKeyRecord(r.ref(), BranchKeyStatus.DECRYPT_ONLY, r.cmkId(), r.wrappedKey(), r.createdAt()));
      }
    }
    BranchKeyRef ref = new BranchKeyRef(keyId, v.size() + 1);
    BranchKeyRecord record = new BranchKeyRecord(ref, BranchKeyStatus.ACTIVE, cmkId, wrapNewKey.apply(ref), Instant.now());
    v.add(record);
    return record;
  }

  @Override
  public synchronized void destroy(BranchKeyRef ref) {
    BranchKeyRecord r = find(ref).orElseThrow(() ->
        new IllegalArgumentException("branch key " + ref + " does not exist"));
    if (r.status() == BranchKeyStatus.ACTIVE) {
      throw new IllegalStateException("cannot destroy the ACTIVE version " + ref);
    }
    keys.get(ref.keyId()).set(ref.version() - 1,
        new BranchKeyRecord(ref, BranchKeyStatus.DESTROYED, r.cmkId(), new byte[0], r.createdAt()));
  }
}
