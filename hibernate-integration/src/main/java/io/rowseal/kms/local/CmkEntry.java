package io.rowseal.kms.local;

import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.local.KmsTables.EktRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory image of one CMK: its metadata and one EKT per key-material version (version
 * {@code v} at index {@code v - 1}), and the DK generation its stored row's MAC is keyed under.
 * Immutable; {@link KeyRing} replaces entries under its lock after the durable state changed. Holds no
 * key material in the clear.
 */
record CmkEntry(String id, String description, KeyState state, Instant createdAt,
    Instant deletionDate, List<EktRow> versions, long macGeneration) {

  CmkEntry {
    versions = List.copyOf(versions);
  }

  /** The state at {@code now}: a key pending deletion whose date has passed counts as destroyed. */
  KeyState stateAt(Instant now) {
    return state == KeyState.PENDING_DELETION && !now.isBefore(deletionDate) ? KeyState.DESTROYED : state;
  }

  boolean destructionDue(Instant now) {
    return state == KeyState.PENDING_DELETION && stateAt(now) == KeyState.DESTROYED;
  }

  int currentVersion() {
    return versions.size();
  }

  EktRow version(int v) {
    return versions.get(v - 1);
  }

  KeyToken.Binding binding(int v) {
    return new KeyToken.Binding(id, v, version(v).createdAt());
  }

  KeyMetadata metadata(Instant now) {
    KeyState s = stateAt(now);
    return new KeyMetadata(id, description, s, createdAt,
        s == KeyState.PENDING_DELETION || s == KeyState.DESTROYED ? deletionDate : null, versions.size());
  }

  /** The row as stored: what its MAC covers. */
  KmsTables.CmkRow row() {
    return new KmsTables.CmkRow(id, description, state, createdAt, deletionDate);
  }

  /** This CMK in {@code newState}, its row MACed under {@code newMacGeneration}. */
  CmkEntry withState(KeyState newState, Instant newDeletionDate, long newMacGeneration) {
    return new CmkEntry(id, description, newState, createdAt, newDeletionDate,
        newState == KeyState.DESTROYED ? List.of() : versions, newMacGeneration);
  }

  CmkEntry withVersion(EktRow row) {
    List<EktRow> v = new ArrayList<>(versions);
    v.add(row);
    return new CmkEntry(id, description, state, createdAt, deletionDate, v, macGeneration);
  }

  CmkEntry withResealed(EktRow row) {
    List<EktRow> v = new ArrayList<>(versions);
    v.set(row.version() - 1, row);
    return new CmkEntry(id, description, state, createdAt, deletionDate, v, macGeneration);
  }

  CmkEntry withMacGeneration(long generation) {
    return new CmkEntry(id, description, state, createdAt, deletionDate, versions, generation);
  }

  @Override
  public String toString() {
    return "CmkEntry(" + id + ", " + state + ", versions=" + versions.size() + ")";
  }
}
