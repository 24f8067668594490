package io.rowseal.agent.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What became of each configured field as classes loaded: annotated, already annotated in the source,
 * missing from its class, or never seen. The source of the "configured but never loaded" warnings and
 * of strict mode's failures.
 *
 * <p>Thread-safe: classes load concurrently.
 */
final class TargetTracker {

  enum State {
    /** Its class has not been loaded (by any class loader) since the agent started. */
    NOT_LOADED,
    /** The agent added {@code @Encrypted} as the class loaded. */
    ANNOTATED,
    /** The class's source already carries {@code @Encrypted} on the field; left alone. */
    ALREADY_ANNOTATED,
    /** The class loaded but declares no field of that name. */
    FIELD_MISSING,
    /** The transformation of its class failed; the class loaded unchanged. */
    FAILED
  }

  private final Map<String, Target> targets = new LinkedHashMap<>();
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

  TargetTracker(Collection<Target> configured) {
    for (Target target : configured) {
      targets.put(target.id(), target);
      states.put(target.id(), State.NOT_LOADED);
    }
  }

  void record(Target target, State state) {
    states.put(target.id(), state);
  }

  /** A failed transformation wins over whatever the transformer recorded before failing. */
  void failed(String className) {
    for (Target target : targets.values()) {
      if (target.className().equals(className)) {
        states.put(target.id(), State.FAILED);
      }
    }
  }

  State state(Target target) {
    return states.get(target.id());
  }

  /** Targets whose class never loaded or that name a missing field, with why; in configuration order. */
  List<String> gaps() {
    List<String> gaps = new ArrayList<>();
    for (Target target : targets.values()) {
      switch (states.get(target.id())) {
        case NOT_LOADED -> gaps.add(target + ": class " + target.className() + " was never loaded");
        case FIELD_MISSING -> gaps.add(target + ": class " + target.className() + " has no field "
            + target.fieldName());
        default -> { }
      }
    }
    return gaps;
  }

  /** The gaps not yet reported by {@link #unreportedGaps()}, marking them reported. */
  List<String> unreportedGaps() {
    List<String> fresh = new ArrayList<>();
    for (String gap : gaps()) {
      if (reported.putIfAbsent(gap, Boolean.TRUE) == null) {
        fresh.add(gap);
      }
    }
    return fresh;
  }
}
