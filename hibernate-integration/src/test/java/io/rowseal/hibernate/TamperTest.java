package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.IntegrityException;
import io.rowseal.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A stored value altered or moved through raw JDBC is caught on load, naming entity, attribute, id. */
class TamperTest {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_storedValueAlteredByOneBit_throwsIntegrityFailureNamingEntityAttributeAndId(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(41));
        s.persist(Samples.typical(42));
      });
      String table = jpa.table("sample");
      byte[] stored = (byte[]) jpa.raw("select email from " + table + " where id = 42").get(0).get("email");
      stored[stored.length - 20] ^= 0x01;
      jpa.rawUpdate("update " + table + " set email = ? where id = 42", stored);

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.find(Sample.class, 42L);
      }));

      EncryptedReadException e = cause(thrown);
      assertThat(e.code()).isEqualTo("RS-4201");
      assertThat(e.attribute()).isEqualTo("Sample.email");
      assertThat(e.rowId()).isEqualTo("42");
      assertThat(e).hasMessageContaining("Sample.email").hasMessageContaining("id 42")
          .hasCauseInstanceOf(IntegrityException.class);
      Sample untouched = jpa.fromTransaction(s -> s.find(Sample.class, 41L));
      assertThat(untouched.email).isEqualTo(Samples.typical(41).email);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void find_valueMovedInFromAnotherRow_failsBeforeTheRowReachesTheSecondLevelCache(TestDatabase db) {
    Map<String, Object> cache = Map.of(
        "hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.region.factory_class", "jcache",
        "hibernate.javax.cache.provider", "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider",
        "hibernate.javax.cache.missing_cache_strategy", "create");
    try (Jpa jpa = Jpa.start(db, cache, Sample.class)) {
      jpa.inTransaction(s -> {
        s.persist(Samples.typical(41));
        s.persist(Samples.typical(42));
      });
      String table = jpa.table("sample");
      byte[] other = (byte[]) jpa.raw("select email from " + table + " where id = 41").get(0).get("email");
      jpa.rawUpdate("update " + table + " set email = ? where id = 42", other);
      jpa.sessionFactory.getCache().evictAllRegions();

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.find(Sample.class, 42L)));

      assertThat(cause(thrown).code()).isEqualTo("RS-4204");
      assertThat(jpa.sessionFactory.getCache().containsEntity(Sample.class, 42L))
          .as("an unverified row must not be served from the cache later").isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void query_valueMovedToAnotherAttribute_throwsIntegrityFailureNamingTheTargetAttribute(TestDatabase db) {
    try (Jpa jpa = Jpa.start(db, Sample.class)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(7)));
      String table = jpa.table("sample");
      jpa.rawUpdate("update " + table + " set bytes = email where id = 7");

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> {
        s.createSelectionQuery("select s.bytes from Sample s", byte[].class).getResultList();
      }));

      EncryptedReadException e = cause(thrown);
      assertThat(e.attribute()).isEqualTo("Sample.bytes");
      assertThat(e.rowId()).isEqualTo("7");
      assertThat(e.getMessage()).doesNotContain(Samples.typical(7).email);
    }
  }

  static EncryptedReadException cause(Throwable thrown) {
    return Causes.find(thrown, EncryptedReadException.class);
  }
}
