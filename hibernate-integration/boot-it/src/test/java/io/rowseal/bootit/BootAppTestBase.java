package io.rowseal.bootit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.RowsealException;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * The Spring Boot application of this module, started on a random port and driven over real HTTP: what
 * a user of {@code rowseal-hibernate} in a Boot application relies on, on each database (subclasses).
 */
@SpringBootTest(classes = BootItApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BootAppTestBase {
  @Autowired
  JdbcTemplate jdbc;
  @Autowired
  PatientRepository patients;
  @Autowired
  EntityManagerFactory entityManagerFactory;
  @Autowired
  Environment environment;
  @Autowired
  org.springframework.boot.actuate.audit.AuditEventRepository auditEvents;

  RestClient http() {
    return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
        .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
        .build();
  }

  long create(String name, String diagnosis) {
    Map<?, ?> created = http().post().uri("/patients").contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("name", name, "diagnosis", diagnosis)).retrieve().body(Map.class);
    return ((Number) created.get("id")).longValue();
  }

  byte[] storedDiagnosis(long id) {
    return jdbc.queryForObject("select diagnosis from rsboot_patient where id = ?", byte[].class, id);
  }

  @Test
  void encryptedAttribute_postedOverHttp_isStoredEncryptedAndReadBackInPlaintext() {
    long id = create("Ada", "hypertension stage 2");

    byte[] stored = storedDiagnosis(id);
    assertThat(stored).isNotNull();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("hypertension");
    assertThat(indexOf(stored, "hypertension stage 2".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    Map<String, Object> read = http().get().uri("/patients/{id}", id).retrieve()
        .body(new ParameterizedTypeReference<Map<String, Object>>() { });
    assertThat(read).containsEntry("name", "Ada").containsEntry("diagnosis", "hypertension stage 2");
  }

  @Test
  void rowsealProperties_fromApplicationYml_reachHibernate() {
    Map<String, Object> settings = entityManagerFactory.getProperties();
    assertThat(settings).containsEntry("rowseal.keystore.table", "rsboot_branch_keys")
        .containsEntry("rowseal.row-signature.column", "rsboot_sig")
        .containsEntry("rowseal.cache.dek-max-size", "500")
        .containsEntry("rowseal.column-check", "fail")
        // an empty value means unset
        .doesNotContainKey("rowseal.cmk-id");
    assertThat(settings.get("rowseal.cache.dek-ttl")).hasToString("PT2M");
    create("Bob", "asthma");
    // what rowseal made of them: its key store and the footer column under the configured names
    assertThat(jdbc.queryForObject("select count(*) from rsboot_branch_keys", Long.class)).isPositive();
    assertThat(jdbc.queryForObject("select count(rsboot_sig) from rsboot_patient", Long.class)).isPositive();
  }

  @Test
  void springTestContext_withoutRowsealKms_usesTheInMemoryKms() {
    assertThat(entityManagerFactory.getProperties().get("rowseal.kms")).isInstanceOf(io.rowseal.kms.InMemoryCmkProvider.class);
  }

  @Test
  void tamperedValue_readThroughRepositoryAndHttp_failsAsSpringDataAccessExceptionAndHttp500() {
    long id = create("Cy", "fractured tibia");
    double before = integrityFailures();
    byte[] stored = storedDiagnosis(id);
    stored[stored.length - 20] ^= 0x01;
    jdbc.update("update rsboot_patient set diagnosis = ? where id = ?", stored, id);

    Throwable thrown = catchThrowable(() -> patients.findById(id));
    // rowseal's exception is a HibernateException, so Spring translates it into a DataAccessException
    assertThat(thrown).isInstanceOf(DataAccessException.class).hasMessageContaining("RS-4201")
        .hasMessageNotContaining("fractured");
    assertThat(thrown.getCause()).isInstanceOfSatisfying(RowsealException.class,
        e -> assertThat(e.code()).isEqualTo("RS-4201"));
    assertThat(integrityFailures()).isEqualTo(before + 1);
    int status = http().get().uri("/patients/{id}", id).retrieve().toBodilessEntity().getStatusCode().value();
    assertThat(status).isEqualTo(500);
    // each failed read counts once, in the application's MeterRegistry, as Actuator shows it
    assertThat(integrityFailures()).isEqualTo(before + 2);
    // and is an event of the application's audit trail, naming entity, attribute and row, never the value
    assertThat(auditEvents.find("rowseal", null, "rowseal-integrity-failure"))
        .filteredOn(e -> String.valueOf(id).equals(e.getData().get("rowId"))).hasSize(2)
        .allSatisfy(e -> assertThat(e.getData()).containsEntry("code", "RS-4201").containsEntry("entity", "Patient")
            .containsEntry("attribute", "diagnosis").doesNotContainValue("fractured tibia"));
  }

  @Test
  void actuatorHealth_hasTheRowsealComponent_upWithItsKeyBackend() {
    create("Eve", "sprain"); // the active branch key exists and is cached
    Map<String, Object> health = json("/actuator/health");

    assertThat(health).containsEntry("status", "UP");
    @SuppressWarnings("unchecked")
    Map<String, Object> rowseal = (Map<String, Object>) ((Map<?, ?>) health.get("components")).get("rowseal");
    assertThat(rowseal).as("the rowseal health component").isNotNull().containsEntry("status", "UP");
    @SuppressWarnings("unchecked")
    Map<String, Object> details = (Map<String, Object>) rowseal.get("details");
    assertThat(details).containsKeys("backend", "branchKeyId", "branchKeyCachedUntil")
        .containsEntry("branchKeyId", "default");
  }

  @Test
  void actuatorMetrics_listRowsealsCounters() {
    create("Fay", "tinnitus");

    assertThat(json("/actuator/metrics/rowseal.rows.encrypted").get("measurements").toString()).doesNotContain("=0.0");
    assertThat(json("/actuator/metrics").get("names").toString()).contains("rowseal.integrity.failures",
        "rowseal.row.signature.failures", "rowseal.cache.hits", "rowseal.kms.requests");
  }

  @Test
  void prometheusScrape_hasTheSeriesTheDocumentedAlertRulesUse() {
    create("Gus", "otitis");
    String scrape = http().get().uri("/actuator/prometheus").retrieve().body(String.class).lines()
        .filter(l -> l.startsWith("rowseal")).collect(java.util.stream.Collectors.joining("\n"));

    // docs/SPRING-BOOT.md, "Alerts worth setting" and the dashboard queries
    assertThat(scrape).contains("rowseal_integrity_failures_values_total{", "rowseal_row_signature_failures_rows_total{",
        "rowseal_kms_errors_requests_total{", "rowseal_health_status ", "rowseal_cache_misses_total{cache=\"branch-key\"",
        "rowseal_cache_hits_total{", "rowseal_transition_reads_values_total{", "rowseal_values_encrypted_values_total ",
        "rowseal_kms_requests_seconds_count{", "rowseal_kms_requests_seconds_sum{");
  }

  double integrityFailures() {
    Map<String, Object> metric = json("/actuator/metrics/rowseal.integrity.failures?tag=entity:Patient&tag=attribute:diagnosis");
    assertThat(metric).as("rowseal.integrity.failures of Patient.diagnosis").containsKey("measurements");
    return ((Number) ((Map<?, ?>) ((java.util.List<?>) metric.get("measurements")).get(0)).get("value")).doubleValue();
  }

  Map<String, Object> json(String path) {
    return http().get().uri(java.net.URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
        .retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() { });
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
