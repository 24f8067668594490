package io.rowseal.hibernate;

import io.rowseal.envelope.EnvelopeMetrics;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * rowseal's counters for one session factory, live: rows and values encrypted and decrypted, branch-key
 * and DEK cache hits, misses and evictions, KMS requests per operation (with errors and time spent),
 * integrity failures per encrypted attribute, row-signature failures per signed entity and transition
 * reads of legacy plaintext per entity. A tampered value shows up as {@code rowseal.integrity.failures}
 * going up: a counter an alert can watch.
 *
 * <p>{@link #counters()} lists every counter as a name, tags and a live value: every encrypted attribute
 * and entity has its counters from the start, at zero, so a metrics library can bind each once, e.g. as a
 * Micrometer {@code FunctionCounter} ({@code io.rowseal.micrometer.RowsealMeterBinder} does); a counter
 * first counted later (an attribute the factory did not list at start) joins the list and is announced to
 * {@link #onNewCounter} listeners. rowseal itself depends on no metrics library. Counters only grow. Reading is cheap and lock-free. Names, tags and units are listed
 * in docs/HIBERNATE.md ("Observability"). Thread-safe.
 */
public final class RowsealMetrics {
  /** Rows written with a fresh data key. */
  public static final String ROWS_ENCRYPTED = "rowseal.rows.encrypted";
  public static final String VALUES_ENCRYPTED = "rowseal.values.encrypted";
  public static final String VALUES_DECRYPTED = "rowseal.values.decrypted";
  /** Tag {@code cache}: {@code branch-key} or {@code dek}. */
  public static final String CACHE_HITS = "rowseal.cache.hits";
  public static final String CACHE_MISSES = "rowseal.cache.misses";
  public static final String CACHE_EVICTIONS = "rowseal.cache.evictions";
  /** Tag {@code operation}: {@link KmsOperation#tag()}. Every attempt counts, retries included. */
  public static final String KMS_REQUESTS = "rowseal.kms.requests";
  public static final String KMS_ERRORS = "rowseal.kms.errors";
  /** Nanoseconds spent in KMS requests, summed (unit {@code nanoseconds}); tag {@code operation}. */
  public static final String KMS_TIME = "rowseal.kms.time";
  /** Tags {@code entity}, {@code attribute}: stored values that did not verify on read (RS-4201). */
  public static final String INTEGRITY_FAILURES = "rowseal.integrity.failures";
  /** Tag {@code entity}: rows whose signature did not verify or was missing on load (RS-4204, RS-4205). */
  public static final String ROW_SIGNATURE_FAILURES = "rowseal.row.signature.failures";
  /** Tag {@code entity}: legacy plaintext values read from encrypted columns (transition reads). */
  public static final String TRANSITION_READS = "rowseal.transition.reads";

  /**
   * One counter: a name, its tags (in a fixed order) and its live value.
   *
   * @param name e.g. {@code rowseal.integrity.failures}
   * @param tags e.g. {@code entity=Customer, attribute=email}; empty for untagged counters
   * @param unit {@code nanoseconds} for {@link #KMS_TIME}, else {@code null} (a count)
   * @param description what it counts
   * @param source reads the live value (cheap, lock-free)
   */
  public record Counter(String name, Map<String, String> tags, String unit, String description,
      LongSupplier source) {
    public Counter {
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The current value. */
    public long value() {
      return source.getAsLong();
    }

    @Override
    public String toString() {
      return name + tags + "=" + value();
    }
  }

  private final EnvelopeMetrics envelope;
  private final ReadFailures failures;
  private final LegacyPlaintext legacy;
  private final List<Counter> counters;
  private final Set<String> listed = new java.util.HashSet<>();

  private RowsealMetrics(StartedFactory started) {
    this.envelope = started.rowWrites().envelope().metrics();
    this.failures = started.rowWrites().readFailures();
    this.legacy = started.legacy();
    this.counters = Collections.unmodifiableList(counters(started));
    counters.forEach(c -> listed.add(key(c.name(), c.tags())));
  }

  /** What {@link #onNewCounter} returns: closing it stops the announcements. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The counters of {@code sessionFactory}.
   *
   * @throws IllegalArgumentException if rowseal did not start in it (it maps no {@code @Encrypted} attribute)
   */
  public static RowsealMetrics of(SessionFactory sessionFactory) {
    StartedFactory started = StartedFactory.of(sessionFactory.unwrap(SessionFactoryImplementor.class));
    if (started == null) {
      throw new IllegalArgumentException("rowseal is not active in session factory " + sessionFactory
          + ": it maps no @Encrypted attribute");
    }
    return new RowsealMetrics(started);
  }

  /**
   * Every counter, each with its name and tags, the values live: those listed at start, then any first
   * counted since (see {@link #onNewCounter}).
   */
  public List<Counter> counters() {
    List<Counter> out = new ArrayList<>(counters);
    for (ReadFailures.Attribute a : failures.failedAttributes()) {
      Counter c = integrityCounter(a.entity(), a.path());
      if (!listed.contains(key(c.name(), c.tags()))) {
        out.add(c);
      }
    }
    for (String entity : failures.failedEntities()) {
      Counter c = rowSignatureCounter(entity);
      if (!listed.contains(key(c.name(), c.tags()))) {
        out.add(c);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Tells {@code listener} of each counter first counted from now on that {@link #counters()} did not list
   * before (a per-attribute or per-entity counter of an integrity failure the factory did not know at
   * start), on the thread that counts it, before it counts: a metrics registry bound earlier binds it then.
   * The listener must be quick and must not throw (a throw is logged and ignored).
   */
  public Registration onNewCounter(java.util.function.Consumer<Counter> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    Runnable remove = failures.listen(new ReadFailures.Listener() {
      @Override
      public void valueCounter(ReadFailures.Attribute a, LongSupplier count) {
        announce(integrityCounter(a.entity(), a.path()));
      }

      @Override
      public void rowCounter(String entity, LongSupplier count) {
        announce(rowSignatureCounter(entity));
      }

      private void announce(Counter c) {
        if (!listed.contains(key(c.name(), c.tags()))) {
          listener.accept(c);
        }
      }
    });
    return remove::run;
  }

  private static String key(String name, Map<String, String> tags) {
    return name + tags;
  }

  private Counter integrityCounter(String entity, String path) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("entity", entity);
    tags.put("attribute", path);
    return new Counter(INTEGRITY_FAILURES, tags, null, "stored values that did not verify on read",
        () -> failures.values(entity, path));
  }

  private Counter rowSignatureCounter(String entity) {
    return new Counter(ROW_SIGNATURE_FAILURES, Map.of("entity", entity), null,
        "rows whose signature did not verify or was missing", () -> failures.rows(entity));
  }

  /** The engine's own counters (caches, KMS requests, rows and values). */
  public EnvelopeMetrics envelope() {
    return envelope;
  }

  /** Stored values of {@code entity}'s {@code attribute} (its path, e.g. {@code email}) that did not verify. */
  public long integrityFailures(String entity, String attribute) {
    return failures.values(entity, attribute);
  }

  /** Rows of {@code entity} whose signature did not verify or was missing. */
  public long rowSignatureFailures(String entity) {
    return failures.rows(entity);
  }

  /** Legacy plaintext values of {@code entity} read from its encrypted columns. */
  public long transitionReads(String entity) {
    return legacy.reads(entity);
  }

  @Override
  public String toString() {
    return "RowsealMetrics" + counters;
  }

  private List<Counter> counters(StartedFactory started) {
    List<Counter> out = new ArrayList<>();
    EnvelopeMetrics m = envelope;
    out.add(new Counter(ROWS_ENCRYPTED, Map.of(), null, "rows written with a fresh data key", m::rowsEncrypted));
    out.add(new Counter(VALUES_ENCRYPTED, Map.of(), null, "values encrypted", m::valuesEncrypted));
    out.add(new Counter(VALUES_DECRYPTED, Map.of(), null, "values decrypted", m::valuesDecrypted));
    out.add(new Counter(CACHE_HITS, Map.of("cache", "branch-key"), null, "branch-key cache hits", m::branchKeyHits));
    out.add(new Counter(CACHE_MISSES, Map.of("cache", "branch-key"), null, "branch-key cache misses",
        m::branchKeyMisses));
    out.add(new Counter(CACHE_EVICTIONS, Map.of("cache", "branch-key"), null, "branch keys evicted",
        m::branchKeyEvictions));
    out.add(new Counter(CACHE_HITS, Map.of("cache", "dek"), null, "row DEK cache hits", m::dekHits));
    out.add(new Counter(CACHE_MISSES, Map.of("cache", "dek"), null, "row DEK cache misses", m::dekMisses));
    out.add(new Counter(CACHE_EVICTIONS, Map.of("cache", "dek"), null, "row DEKs evicted", m::dekEvictions));
    for (KmsOperation op : KmsOperation.values()) {
      Map<String, String> tags = Map.of("operation", op.tag());
      out.add(new Counter(KMS_REQUESTS, tags, null, "KMS requests", () -> m.kmsRequests(op)));
      out.add(new Counter(KMS_ERRORS, tags, null, "KMS requests that failed", () -> m.kmsErrors(op)));
      out.add(new Counter(KMS_TIME, tags, "nanoseconds", "time spent in KMS requests", () -> m.kmsNanos(op)));
    }
    Set<String> entities = new LinkedHashSet<>();
    for (EncryptedMappings.Found f : started.attributes()) {
      EncryptedAttribute a = f.jdbcType().attribute();
      entities.add(a.entityName());
      out.add(integrityCounter(a.entityName(), a.path()));
    }
    Set<String> signed = started.signatures() == null ? Set.of() : started.signatures().entityNames();
    for (String entity : signed) {
      out.add(rowSignatureCounter(entity));
    }
    for (String entity : entities) {
      out.add(new Counter(TRANSITION_READS, Map.of("entity", entity), null,
          "legacy plaintext values read from encrypted columns", () -> legacy.reads(entity)));
    }
    return out;
  }
}
