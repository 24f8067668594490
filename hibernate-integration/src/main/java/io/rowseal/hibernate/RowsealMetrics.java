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
 * <p>{@link #counters()} lists every counter as a name, tags and a live value, fixed when the factory
 * started (every encrypted attribute and entity has its counters from the start, at zero), so a metrics
 * library can bind each once, e.g. as a Micrometer {@code FunctionCounter}; rowseal itself depends on no
 * metrics library. Counters only grow. Reading is cheap and lock-free. Names, tags and units are listed
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
  public static final String ROW_SIGNATURE_FAILURES = "rowseal.row-signature.failures";
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

  private RowsealMetrics(StartedFactory started) {
    this.envelope = started.rowWrites().envelope().metrics();
    this.failures = started.rowWrites().readFailures();
    this.legacy = started.legacy();
    this.counters = Collections.unmodifiableList(counters(started));
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

  /** Every counter, each with its name and tags; the list is fixed, the values are live. */
  public List<Counter> counters() {
    return counters;
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
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("entity", a.entityName());
      tags.put("attribute", a.path());
      out.add(new Counter(INTEGRITY_FAILURES, tags, null, "stored values that did not verify on read",
          () -> failures.values(a.entityName(), a.path())));
    }
    Set<String> signed = started.signatures() == null ? Set.of() : started.signatures().entityNames();
    for (String entity : signed) {
      out.add(new Counter(ROW_SIGNATURE_FAILURES, Map.of("entity", entity), null,
          "rows whose signature did not verify or was missing", () -> failures.rows(entity)));
    }
    for (String entity : entities) {
      out.add(new Counter(TRANSITION_READS, Map.of("entity", entity), null,
          "legacy plaintext values read from encrypted columns", () -> legacy.reads(entity)));
    }
    return out;
  }
}
