package io.rowseal.kms;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link CmkProvider#describe} tells about a CMK. Never holds key material.
 *
 * @param cmkId the key's id
 * @param description free text given at creation
 * @param state the lifecycle state
 * @param createdAt creation time
 * @param deletionDate when a key pending deletion will be destroyed, else {@code null}
 * @param currentVersion the key-material version new wraps use (1 until the CMK is rotated)
 */
public record KeyMetadata(
    String cmkId, String description, KeyState state, Instant createdAt, Instant deletionDate,
    int currentVersion) {

  public KeyMetadata {
    Objects.requireNonNull(cmkId, "cmkId");
    Objects.requireNonNull(state, "state");
  }
}
