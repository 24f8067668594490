package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata an IDE reads is in the rowseal-hibernate jar an application depends on (the
 * build's own check of its contents is ConfigurationMetadataTest in rowseal-hibernate).
 */
class MetadataInJarTest {
  @Test
  void rowsealHibernateJar_carriesTheConfigurationMetadata() throws IOException {
    List<URL> fromRowseal = Collections.list(getClass().getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json")).stream()
        .filter(u -> u.toString().contains("rowseal-hibernate")).toList();

    assertThat(fromRowseal).singleElement().satisfies(u -> assertThat(u.getProtocol()).isEqualTo("jar"));
    try (InputStream in = fromRowseal.get(0).openStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("\"name\": \"rowseal.kms.local.passphrase-env\"", "\"name\": \"rowseal.kms\"",
              "\"name\": \"rowseal.health.probe-interval\"");
    }
  }
}
