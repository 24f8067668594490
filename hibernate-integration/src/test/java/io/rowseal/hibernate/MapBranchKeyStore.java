package io.rowseal.hibernate;

import io.rowseal.keystore.BranchKeyRecord;
import io.rowseal.keystore.BranchKeyRef;
import io.rowseal.keystore.BranchKeyStatus;
import io.rowseal.keystore.BranchKeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A branch-key store in memory, for tests of the Hibernate glue. Thread-safe (one lock). */
final class MapBranchKeyStore implements BranchKeyStore {
  private final Map<String, List<BranchKeyRecord>> keys = new HashMap<>();

  @Override
  public synchronized Optional<BranchKeyRecord> findActive(String keyId) {
    return versions(keyId).stream().filter(r -> r.status() == BranchKeyStatus.ACTIVE).findFirst();
  }

  @Override
  public synchronized Optional<BranchKeyRecord> find(BranchKeyRef ref) {
    return versions(ref.keyId()).stream().filter(r -> r.ref().equals(ref)).findFirst();
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
  public synchronized BranchKeyRecord rotate(String keyId, String cmkId,
      Function<BranchKeyRef, byte[]> wrapNewKey) {
    List<BranchKeyRecord> list = keys.computeIfAbsent(keyId, k -> new ArrayList<>());
    for (int i = 0; i < list.size(); i++) {
      BranchKeyRecord r = list.get(i);
      if (r.status() == BranchKeyStatus.ACTIVE) {
        list.set(i, new BranchKeyRecord(r.ref(), BranchKeyStatus.DECRYPT_ONLY, r.cmkId(), r.wrappedKey(),
            r.createdAt()));
      }
    }
    BranchKeyRef ref = new BranchKeyRef(keyId, list.size() + 1);
    BranchKeyRecord record = new BranchKeyRecord(ref, BranchKeyStatus.ACTIVE, cmkId, wrapNewKey.apply(ref),
        Instant.now());
    list.add(record);
    return record;
  }

  @Override
  public synchronized void destroy(BranchKeyRef ref) {
    List<BranchKeyRecord> list = keys.getOrDefault(ref.keyId(), List.of());
    for (int i = 0; i < list.size(); i++) {
      BranchKeyRecord r = list.get(i);
      if (r.ref().equals(ref)) {
        if (r.status() == BranchKeyStatus.ACTIVE) {
          throw new IllegalStateException("cannot destroy the ACTIVE version " + ref);
        }
        list.set(i, new BranchKeyRecord(ref, BranchKeyStatus.DESTROYED, r.cmkId(), null, r.createdAt()));
      }
    }
  }
}
