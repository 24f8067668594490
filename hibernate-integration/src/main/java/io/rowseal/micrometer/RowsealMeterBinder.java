package io.rowseal.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rowseal.envelope.EnvelopeMetrics;
import io.rowseal.envelope.EnvelopeMetrics.KmsOperation;
import io.rowseal.hibernate.RowsealMetrics;
import io.rowseal.hibernate.RowsealMetrics.Counter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;

/**
 * rowseal's counters of one session factory as Micrometer meters: rows and values encrypted and decrypted,
 * branch-key and DEK cache hits, misses and evictions, KMS requests per operation as a timer (count and
 * total time) with their errors, integrity failures per entity and attribute, row-signature failures per
 * entity and transition reads of legacy plaintext per entity. A tamper shows up as
 * {@code rowseal.integrity.failures} (or {@code rowseal.row.signature.failures}) going up: alert on any
 * increase.
 *
 * <p>Every meter reads rowseal's own counters ({@link RowsealMetrics}) when the registry polls it: a
 * {@code FunctionCounter} or {@code FunctionTimer}, nothing counted twice, nothing on the hot path. A
 * per-attribute counter first counted after {@link #bindTo} (an attribute the factory did not list at
 * start) is registered with every registry bound so far at that moment. Meters refer to the session
 * factory's counters weakly, like Micrometer's own binders: they live as long as the factory. Names, tags
 * and units: docs/OBSERVABILITY.md. Micrometer is an optional dependency of rowseal: only this package
 * uses it. Thread-safe.
 *
 * <pre>{@code
 * new RowsealMeterBinder(sessionFactory).bindTo(registry);
 * }</pre>
 */
public final class RowsealMeterBinder implements MeterBinder {
  /** Each counter's base unit, by name: what one increment counts. */
  private static final Map<String, String> UNITS = Map.of(
      RowsealMetrics.ROWS_ENCRYPTED, "rows",
      RowsealMetrics.VALUES_ENCRYPTED, "values",
      RowsealMetrics.VALUES_DECRYPTED, "values",
      RowsealMetrics.KMS_ERRORS, "requests",
      RowsealMetrics.INTEGRITY_FAILURES, "values",
      RowsealMetrics.ROW_SIGNATURE_FAILURES, "rows",
      RowsealMetrics.TRANSITION_READS, "values");

  private final RowsealMetrics metrics;
  private final Tags tags;
  private final List<MeterRegistry> bound = new CopyOnWriteArrayList<>();
  private RowsealMetrics.Registration newCounters; // guarded by this

  /**
   * The meters of rowseal in {@code sessionFactory}.
   *
   * @throws IllegalArgumentException if rowseal did not start in it (it maps no {@code @Encrypted} attribute)
   */
  public RowsealMeterBinder(SessionFactory sessionFactory) {
    this(RowsealMetrics.of(sessionFactory), Tags.empty());
  }

  /**
   * The meters of rowseal's {@code metrics}, each also tagged {@code tags} (e.g. the persistence unit's name,
   * when an application has several session factories).
   */
  public RowsealMeterBinder(RowsealMetrics metrics, Iterable<Tag> tags) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    synchronized (this) {
      if (newCounters == null) {
        // listen before listing, so that a counter made in between is bound either way (registering twice
        // returns the meter already there)
        newCounters = metrics.onNewCounter(this::bindEverywhere);
      }
      bound.add(registry);
    }
    for (Counter c : metrics.counters()) {
      bind(registry, c);
    }
    EnvelopeMetrics envelope = metrics.envelope();
    for (KmsOperation op : KmsOperation.values()) {
      FunctionTimer.builder(RowsealMetrics.KMS_REQUESTS, envelope, m -> m.kmsRequests(op), m -> m.kmsNanos(op),
              TimeUnit.NANOSECONDS)
          .tags(tags).tag("operation", op.tag())
          .description("requests to the KMS (CMK provider), each attempt counted, and the time they took")
          .register(registry);
    }
  }

  private void bindEverywhere(Counter c) {
    for (MeterRegistry registry : bound) {
      bind(registry, c);
    }
  }

  private void bind(MeterRegistry registry, Counter c) {
    if (c.name().equals(RowsealMetrics.KMS_REQUESTS) || c.name().equals(RowsealMetrics.KMS_TIME)) {
      return; // one timer per operation carries both (bindTo)
    }
    // The envelope's counters live with the session factory: the meter holds them weakly, as Micrometer's
    // binders hold what they measure, and reads the counter through the function it holds.
    FunctionCounter.Builder<EnvelopeMetrics> b = FunctionCounter.builder(c.name(), metrics.envelope(),
            m -> c.value())
        .tags(tags).description(c.description());
    c.tags().forEach(b::tag);
    String unit = UNITS.get(c.name());
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(registry);
  }

  @Override
  public String toString() {
    return "RowsealMeterBinder(" + bound.size() + " registries, " + metrics.envelope() + ")";
  }
}
