package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import org.hibernate.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HibernateLineTest {

  @ParameterizedTest
  @CsvSource({
      "6.6.0.Final, true", "6.6.56.Final, true", "7.0.10.Final, true", "7.2.4.Final, true",
      "7.4.16.Final, true", "7.5.0.CR1, true",
      "6.5.3.Final, false", "6.2.49.Final, false", "5.6.15.Final, false", "8.0.0.Alpha1, false",
      "unknown, false", "'', false"})
  void supported_version_acceptsExactly66AndThe7Line(String version, boolean supported) {
    assertThat(HibernateLine.supported(version)).isEqualTo(supported);
  }

  @ParameterizedTest
  @CsvSource({"6.6.53.Final, true", "7.0.10.Final, true", "7.4.16.Final, true", "7.5.0.CR1, false",
      "7.10.1.Final, false"})
  void tested_version_isTrueForTheLinesCiRuns(String version, boolean tested) {
    assertThat(HibernateLine.tested(version)).isEqualTo(tested);
  }

  /** The line modules (hibernate-integration/lines) really run on the version they name. */
  @Test
  void check_onTheHibernateOfThisTestRun_acceptsIt() {
    String expected = System.getProperty("rowseal.expected-hibernate");
    if (expected != null) {
      assertThat(Version.getVersionString()).isEqualTo(expected);
    }
    HibernateLine.check();
    assertThat(HibernateLine.supported(Version.getVersionString())).isTrue();
  }
}
