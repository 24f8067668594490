package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.testing.TestDatabase;
import java.util.Map;
import org.hibernate.Version;
import org.junit.jupiter.api.Test;

/**
 * Run only by hibernate-integration/lines/refused-6.5, on a Hibernate older than rowseal supports (the
 * primary build excludes it): the boot fails with RS-4020 naming the version found and the supported
 * ones, and no table was created.
 */
class UnsupportedHibernateTest {

  @Test
  void boot_hibernateOlderThan66_failsWithRs4020BeforeWritingAnything() {
    assertThat(HibernateLine.supported(Version.getVersionString())).as("this test needs an old Hibernate").isFalse();
    Jpa jpa = Jpa.prepare(TestDatabase.H2);
    try {
      Throwable thrown = catchThrowable(() -> jpa.boot(Map.of(), Sample.class));

      EncryptedMappingException e = Causes.find(thrown, EncryptedMappingException.class);
      assertThat(e.code()).isEqualTo("RS-4020");
      assertThat(e).hasMessageContaining(Version.getVersionString()).hasMessageContaining("6.6 and 7.0 to 7.4");
      assertThat(jpa.raw("select count(*) as n from information_schema.tables where lower(table_name) like 'sample%'"))
          .containsExactly(Map.of("n", 0L));
    } finally {
      jpa.close();
    }
  }
}
