package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testing.TestDatabase;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hibernate.Hibernate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way Hibernate reads a value returns the plaintext; every way it writes one encrypts. */
class ReadPathsTest {

  record View(Long id, String email, LocalDate birthDate) {}

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void queries_scalarDtoAndCriteria_returnPlaintext(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> Samples.all().forEach(s::persist));
      Sample typical = Samples.typical(4);

      String email = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select s.email from Sample s where s.id = :id", String.class).setParameter("id", 4L)
          .getSingleResult());
      List<View> views = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select s.id, s.email, s.birthDate from Sample s order by s.id", View.class).getResultList());
      List<Object[]> tuples = jpa.fromTransaction(s -> s.createSelectionQuery(
          "select s.details.street, s.tier, s.chars from Sample s where s.id = 4", Object[].class)
          .getResultList());
      List<Sample> criteria = jpa.fromTransaction(s -> {
        CriteriaBuilder cb = s.getCriteriaBuilder();
        CriteriaQuery<Sample> q = cb.createQuery(Sample.class);
        Root<Sample> root = q.from(Sample.class);
        q.select(root).where(root.get("id").in(1L, 2L, 3L, 4L)).orderBy(cb.asc(root.get("id")));
        return s.createQuery(q).getResultList();
      });

      assertThat(email).isEqualTo(typical.email);
      assertThat(views).extracting(View::email)
          .containsExactly(Samples.maximal(1).email, "", null, typical.email);
      assertThat(views.get(3).birthDate()).isEqualTo(typical.birthDate);
      assertThat(tuples.get(0)).containsExactly(typical.details.street, Tier.SILVER, typical.chars);
      RoundTripTest.assertSameValues(criteria, Samples.all());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void lazyProxies_initializedOneByOneOrInBatches_carryPlaintext(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class, Holder.class)) {
      jpa.inTransaction(s -> {
        for (long i = 1; i <= 12; i++) {
          Sample sample = Samples.typical(i);
          s.persist(sample);
          s.persist(new Holder(i, "note " + i, sample));
        }
      });
      jpa.sql.clear();

      List<String> emails = jpa.fromTransaction(s -> {
        List<Holder> holders = s.createSelectionQuery("from Holder h order by h.id", Holder.class)
            .getResultList();
        assertThat(Hibernate.isInitialized(holders.get(0).sample)).isFalse();
        return holders.stream()
            .map(h -> h.note + "/" + Hibernate.unproxy(h.sample, Sample.class).email).toList();
      });

      assertThat(emails).hasSize(12).first().isEqualTo("note 1/" + Samples.typical(1).email);
      assertThat(emails.get(11)).isEqualTo("note 12/" + Samples.typical(12).email);
      // @BatchSize(10): the 12 proxies initialize in two selects, not twelve.
      assertThat(jpa.sql.statements())
          .filteredOn(sql -> sql.contains("from " + jpa.table("sample") + " ")).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void merge_detachedEntityWithChangedValue_storesAndReadsTheNewValue(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(7)));
      Sample detached = jpa.fromTransaction(s -> s.find(Sample.class, 7L));

      detached.email = "changed@example.com";
      detached.chars = "new-password".toCharArray();
      jpa.inTransaction(s -> {
        s.merge(detached);
      });

      Sample reloaded = jpa.fromTransaction(s -> s.find(Sample.class, 7L));
      assertThat(reloaded.email).isEqualTo("changed@example.com");
      assertThat(reloaded.chars).isEqualTo("new-password".toCharArray());
      assertThat(reloaded.amount).isEqualTo(Samples.typical(7).amount);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void secondLevelCache_hitAfterFirstLoad_returnsPlaintextWithoutSelect(TestDatabase db) {
    Map<String, Object> cache = Map.of(
        "hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.region.factory_class", "jcache",
        "hibernate.javax.cache.provider", "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider",
        "hibernate.javax.cache.missing_cache_strategy", "create",
        "hibernate.generate_statistics", true);
    try (Jpa jpa = Jpa.start(db, cache, Sample.class)) {
      jpa.inTransaction(s -> Samples.all().forEach(s::persist));
      jpa.sessionFactory.getCache().evictAllRegions();
      jpa.inTransaction(s -> s.find(Sample.class, 1L));
      jpa.sql.clear();
      long hitsBefore = jpa.sessionFactory.getStatistics().getSecondLevelCacheHitCount();

      List<Sample> cached = jpa.fromTransaction(s -> List.of(s.find(Sample.class, 1L)));

      assertThat(jpa.sessionFactory.getStatistics().getSecondLevelCacheHitCount()).isGreaterThan(hitsBefore);
      assertThat(jpa.sql.statements()).noneMatch(sql -> sql.startsWith("select"));
      RoundTripTest.assertSameValues(cached, List.of(Samples.maximal(1)));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void queryCacheFullLayout_secondRunServesVerifiedRowsWithoutSelect(TestDatabase db) {
    Map<String, Object> cache = Map.of(
        "hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.use_query_cache", true,
        "hibernate.cache.query_cache_layout", "FULL",
        "hibernate.cache.region.factory_class", "jcache",
        "hibernate.javax.cache.provider", "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider",
        "hibernate.javax.cache.missing_cache_strategy", "create");
    try (Jpa jpa = Jpa.start(db, cache, Sample.class)) {
      jpa.inTransaction(s -> Samples.all().forEach(s::persist));
      java.util.function.Function<org.hibernate.Session, List<Sample>> query = s -> s
          .createSelectionQuery("from Sample where id <= 2 order by id", Sample.class).setCacheable(true).list();
      List<Sample> first = jpa.fromTransaction(query);
      jpa.sql.clear();

      List<Sample> again = jpa.fromTransaction(query);

      // The cached rows' footers were verified by the first run: the second neither reads nor refuses them.
      assertThat(jpa.sql.statements()).noneMatch(sql -> sql.startsWith("select"));
      RoundTripTest.assertSameValues(again, first);
    }
  }
}
