package io.rowseal.bootit;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KmsException;
import jakarta.persistence.EntityManagerFactory;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * A {@code CmkProvider} bean of the application is rowseal's KMS; when it stops answering, the {@code rowseal}
 * health component says DEGRADED while the cached branch key keeps the application working, and the
 * application's aggregate health stays UP (HTTP 200): pulling instances would not bring the KMS back.
 */
@SpringBootTest(classes = {BootItApplication.class, KmsOutageHealthTest.Kms.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "rowseal.health.probe-interval=1ms")
class KmsOutageHealthTest {
  @TestConfiguration
  static class Kms {
    @Bean
    InMemoryCmkProvider applicationKms() {
      return new InMemoryCmkProvider();
    }
  }

  @Autowired
  InMemoryCmkProvider kms;
  @Autowired
  EntityManagerFactory entityManagerFactory;
  @Autowired
  Environment environment;

  @AfterEach
  void kmsAnswersAgain() {
    kms.failWith(null);
  }

  @Test
  void cmkProviderBean_isTheKms() {
    assertThat(entityManagerFactory.getProperties().get("rowseal.kms")).isSameAs(kms);
  }

  @Test
  void kmsOutage_withTheBranchKeyCached_rowsealComponentDegraded_aggregateUp_applicationStillWrites() {
    assertThat(post("Gil", "gout").getStatusCode().value()).isEqualTo(201);
    assertThat(rowsealStatus(health())).isEqualTo("UP");

    kms.failWith(new KmsException.Unavailable("connection refused (test)", null));
    ResponseEntity<Map<String, Object>> degraded = health();

    assertThat(degraded.getStatusCode().value()).isEqualTo(200);
    assertThat(degraded.getBody()).containsEntry("status", "UP");
    assertThat(rowsealStatus(degraded)).isEqualTo("DEGRADED");
    assertThat(healthGauge()).isEqualTo(1.0);
    assertThat(post("Hal", "angina").getStatusCode().value()).isEqualTo(201);

    kms.failWith(null);
    assertThat(rowsealStatus(health())).isEqualTo("UP");
    assertThat(healthGauge()).isEqualTo(0.0);
  }

  /** rowseal.health.status, as Actuator's metrics endpoint shows it (and a Prometheus scrape would). */
  private double healthGauge() {
    Map<String, Object> metric = http().get().uri(URI.create("http://localhost:" + environment.getProperty("local.server.port")
        + "/actuator/metrics/rowseal.health.status")).retrieve()
        .body(new ParameterizedTypeReference<Map<String, Object>>() { });
    return ((Number) ((Map<?, ?>) ((java.util.List<?>) metric.get("measurements")).get(0)).get("value")).doubleValue();
  }

  private RestClient http() {
    return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
        .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
        .build();
  }

  private ResponseEntity<Void> post(String name, String diagnosis) {
    return http().post().uri("/patients").contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("name", name, "diagnosis", diagnosis)).retrieve().toBodilessEntity();
  }

  private ResponseEntity<Map<String, Object>> health() {
    return http().get().uri(URI.create("http://localhost:" + environment.getProperty("local.server.port")
        + "/actuator/health")).retrieve().toEntity(new ParameterizedTypeReference<Map<String, Object>>() { });
  }

  private static Object rowsealStatus(ResponseEntity<Map<String, Object>> health) {
    return ((Map<?, ?>) ((Map<?, ?>) health.getBody().get("components")).get("rowseal")).get("status");
  }
}
