package io.rowseal.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HibernateVersionTest {

  @ParameterizedTest
  @ValueSource(strings = {"6.6.0.Final", "6.6.56.Final", "7.0.10.Final", "7.1.35.Final", "7.2.25.Final",
      "7.3.13.Final", "7.4.0.CR1", "7.4.16.Final", "7.4.16", "7.5.0.Final"})
  void isSupported_oneOfTheSupportedLines_isTrue(String version) {
    assertThat(HibernateVersion.isSupported(version)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"5.6.15.Final", "6.2.40.Final", "6.4.10.Final", "6.5.3.Final", "6.60.1", "6.10.0.Final",
      "8.0.0.Final", "10.7.1.Final", "[WORKING]", "7", "seven", "17.4.1"})
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

  /** The agent refuses a Hibernate before installing the integration, which refuses the same ones (RS-4020). */
  @Test
  void isSupported_everyVersion_agreesWithTheIntegrationsOwnCheck() throws Exception {
    Class<?> line = Class.forName("io.rowseal.hibernate.HibernateLine");
    Method librarySupported = line.getDeclaredMethod("supported", String.class);
    librarySupported.setAccessible(true);
    var librarySupportedText = line.getDeclaredField("SUPPORTED");
    librarySupportedText.setAccessible(true);
    List<String> disagreements = new ArrayList<>();
    for (int major = 4; major <= 9; major++) {
      for (int minor = 0; minor <= 12; minor++) {
        String version = major + "." + minor + ".3.Final";
        if (HibernateVersion.isSupported(version) != (boolean) librarySupported.invoke(null, version)) {
          disagreements.add(version);
        }
      }
    }

    assertThat(disagreements).isEmpty();
    assertThat(HibernateVersion.SUPPORTED).isEqualTo(librarySupportedText.get(null));
  }
}
