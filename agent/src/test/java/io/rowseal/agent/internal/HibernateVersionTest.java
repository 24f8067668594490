package io.rowseal.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HibernateVersionTest {

  @ParameterizedTest
  @ValueSource(strings = {"6.6.0.Final", "6.6.56.Final", "7.0.10.Final", "7.1.35.Final", "7.2.25.Final",
      "7.3.13.Final", "7.4.0.CR1", "7.4.16.Final", "7.4.16"})
  void isSupported_oneOfTheSupportedLines_isTrue(String version) {
    assertThat(HibernateVersion.isSupported(version)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"5.6.15.Final", "6.2.40.Final", "6.4.10.Final", "6.5.3.Final", "6.60.1", "7.5.0.Final",
      "7.10.1.Final", "8.0.0.Final", "[WORKING]", "7", "seven", "17.4.1"})
  void isSupported_anyOtherOrUnknownVersion_isFalse(String version) {
    assertThat(HibernateVersion.isSupported(version)).isFalse();
  }

  @Test
  void of_aHibernateClass_isTheVersionOfTheHibernateThatDefinedIt() {
    // the module compiles against hibernate-core ${hibernate.version}; the agent reads it as any Hibernate's
    assertThat(HibernateVersion.of(BootstrapServiceRegistryBuilder.class))
        .isEqualTo(org.hibernate.Version.getVersionString())
        .matches("7\\.\\d+\\.\\d+\\.Final");
  }
}
