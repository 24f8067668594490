package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowseal.hibernate.RowsealSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot configuration metadata that the build generates into the jar
 * ({@code META-INF/spring-configuration-metadata.json}, from {@link RowsealProperties} and
 * {@code additional-spring-configuration-metadata.json}) lists every setting rowseal reads, each with a
 * description, and nothing rowseal does not read: a new setting without metadata fails the build.
 */
class ConfigurationMetadataTest {
  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  @Test
  void metadata_listsEveryRowsealSetting_withADescription_andNoOther() throws IOException {
    Map<String, JsonNode> properties = properties();

    List<String> missing = new ArrayList<>();
    for (String key : RowsealSettings.names()) {
      JsonNode p = properties.get(key);
      if (p == null || !p.hasNonNull("description") || p.get("description").asText().isBlank()) {
        missing.add(key);
      }
    }
    assertThat(missing).as("rowseal settings without a described metadata entry").isEmpty();
    assertThat(properties.keySet()).as("metadata entries rowseal does not read")
        .allMatch(RowsealSettings.names()::contains);
  }

  @Test
  void metadata_givesTheDefaultsRowsealApplies() throws IOException {
    Map<String, JsonNode> properties = properties();

    assertThat(properties.get("rowseal.kms").get("defaultValue").asText()).isEqualTo("local");
    assertThat(properties.get("rowseal.branch-key-id").get("defaultValue").asText()).isEqualTo("default");
    assertThat(properties.get("rowseal.keystore.table").get("defaultValue").asText()).isEqualTo("rowseal_branch_keys");
    assertThat(properties.get("rowseal.row-signature.column").get("defaultValue").asText()).isEqualTo("rowseal_sig");
    assertThat(properties.get("rowseal.cache.branch-key-ttl").get("defaultValue").asText()).isEqualTo("5m");
    assertThat(properties.get("rowseal.cache.dek-max-size").get("defaultValue").asLong()).isEqualTo(10_000);
    assertThat(properties.get("rowseal.column-check").get("defaultValue").asText()).isEqualTo("fail");
    assertThat(properties.get("rowseal.row-signature").get("defaultValue").asBoolean()).isTrue();
    assertThat(properties.get("rowseal.kms.local.hsm-count").get("defaultValue").asInt()).isEqualTo(3);
  }

  @Test
  void springBootDoc_tablesEveryKeyWithTheMetadatasDefault() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "SPRING-BOOT.md"));

    List<String> missing = new ArrayList<>();
    for (JsonNode p : properties().values()) {
      JsonNode value = p.get("defaultValue");
      String row = "| `" + p.get("name").asText() + "` | " + (value == null ? "—" : "`" + value.asText() + "`") + " |";
      if (!doc.contains(row)) {
        missing.add(row);
      }
    }
    assertThat(missing).as("rows of docs/SPRING-BOOT.md, \"Properties\", missing or with another default").isEmpty();
  }

  private static Map<String, JsonNode> properties() throws IOException {
    try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(METADATA)) {
      assertThat(in).as(METADATA + " in the built classes (spring-boot-configuration-processor)").isNotNull();
      Map<String, JsonNode> result = new LinkedHashMap<>();
      for (JsonNode p : new ObjectMapper().readTree(in).get("properties")) {
        result.put(p.get("name").asText(), p);
      }
      return result;
    }
  }
}
