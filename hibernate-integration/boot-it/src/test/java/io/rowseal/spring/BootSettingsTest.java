package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.EncryptedMappingException;
import io.rowseal.hibernate.RowsealSettings;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.InMemoryCmkProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** How the {@code rowseal.*} properties of a Spring environment become the Hibernate settings rowseal reads. */
class BootSettingsTest {
  /** Instances only: no property file can give them, a bean does. */
  private static final Set<String> INSTANCE_ONLY = Set.of(RowsealSettings.ENVELOPE, RowsealSettings.KEYSTORE);

  @Test
  void everySetting_givenAsEnvironmentVariable_arrivesUnderItsKey() {
    Map<String, Object> variables = new HashMap<>();
    Map<String, Object> expected = new HashMap<>();
    for (String key : RowsealSettings.names()) {
      if (INSTANCE_ONLY.contains(key)) {
        continue;
      }
      // Spring's rule for environment variables: dots and dashes become underscores, upper case
      String variable = key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
      boolean duration = BootSettings.DURATIONS.contains(key);
      variables.put(variable, duration ? "10m" : "value-of-" + key);
      expected.put(key, duration ? Duration.ofMinutes(10) : "value-of-" + key);
    }
    // and environment variables that are no rowseal setting are not taken for one
    variables.put("ROWSEAL_TEST_PKCS11_PIN", "1234");

    Map<String, Object> read = BootSettings.read(environment(variables, Map.of()));

    assertThat(read).isEqualTo(expected);
    assertThat(read).containsEntry("rowseal.kms.local.passphrase-env", "value-of-rowseal.kms.local.passphrase-env");
  }

  @Test
  void relaxedSpellings_inAConfigurationFile_bindToTheKebabCaseKey() {
    Map<String, Object> read = BootSettings.read(environment(Map.of(), Map.of(
        "rowseal.kms.local.passphraseEnv", "APP_KMS_PASSPHRASE",
        "rowseal.kms.pkcs11.pin_env", "TOKEN_PIN",
        "rowseal.previous-cmk-ids[0]", "cmk-a",
        "rowseal.previous-cmk-ids[1]", "cmk-b",
        "rowseal.cache.branch-key-ttl", "PT30S")));

    assertThat(read).containsEntry("rowseal.kms.local.passphrase-env", "APP_KMS_PASSPHRASE")
        .containsEntry("rowseal.kms.pkcs11.pin-env", "TOKEN_PIN")
        .containsEntry("rowseal.previous-cmk-ids", "cmk-a,cmk-b")
        .containsEntry("rowseal.cache.branch-key-ttl", Duration.ofSeconds(30))
        .hasSize(4);
  }

  @Test
  void yaml_keyThatIsAlsoAPrefix_withItsChildrenInDottedForm_bindsBoth() throws java.io.IOException {
    String yaml = """
        rowseal:
          kms: aws
          kms.aws.region: eu-west-1
          row-signature: false
          row-signature.column: sig
        """;
    StandardEnvironment environment = environment(Map.of(), Map.of());
    for (var source : new org.springframework.boot.env.YamlPropertySourceLoader().load("application.yml",
        new org.springframework.core.io.ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
      environment.getPropertySources().addFirst(source);
    }

    assertThat(BootSettings.read(environment)).containsOnly(Map.entry("rowseal.kms", "aws"),
        Map.entry("rowseal.kms.aws.region", "eu-west-1"), Map.entry("rowseal.row-signature", "false"),
        Map.entry("rowseal.row-signature.column", "sig"));
  }

  @Test
  void emptyValue_isUnset() {
    Map<String, Object> hibernate = new HashMap<>(Map.of("rowseal.kms.local.keystore", " "));

    settings(environment(Map.of("ROWSEAL_CMK_ID", ""), Map.of("rowseal.kms.local.hsm-count", "",
        "rowseal.cache.dek-ttl", "")), null, false).customize(hibernate);

    assertThat(hibernate).isEmpty();
  }

  @Test
  void unknownKey_ofAConfigurationFile_isHandedOnForRowsealToRefuse() {
    Map<String, Object> read = BootSettings.read(environment(Map.of(), Map.of("rowseal.kms.lcoal.keystore", "/k.p12")));

    assertThat(read).containsOnlyKeys("rowseal.kms.lcoal.keystore");
  }

  @Test
  void sameKey_inRowsealAndSpringJpaProperties_withDifferentValues_failsNamingTheKeyOnly() {
    Map<String, Object> hibernate = new HashMap<>(Map.of("rowseal.kms.local.passphrase", "jpa-secret"));

    Throwable thrown = catchThrowable(() -> settings(environment(Map.of(),
        Map.of("rowseal.kms.local.passphrase", "yml-secret")), null, false).customize(hibernate));

    assertThat(thrown).isInstanceOfSatisfying(EncryptedMappingException.class,
        e -> assertThat(e.code()).isEqualTo("RS-4010"))
        .hasMessageContaining("rowseal.kms.local.passphrase").hasMessageContaining("spring.jpa.properties.")
        .hasMessageNotContaining("jpa-secret").hasMessageNotContaining("yml-secret");
  }

  @Test
  void sameKey_inBoth_withTheSameValue_isFine() {
    Map<String, Object> hibernate = new HashMap<>(Map.of("rowseal.cache.dek-ttl", "PT2M"));

    settings(environment(Map.of(), Map.of("rowseal.cache.dek-ttl", "2m")), null, false).customize(hibernate);

    assertThat(hibernate).containsEntry("rowseal.cache.dek-ttl", Duration.ofMinutes(2));
  }

  @Test
  void cmkProviderBean_isTheKms_unlessRowsealKmsIsSet() {
    InMemoryCmkProvider bean = new InMemoryCmkProvider();
    Map<String, Object> hibernate = new HashMap<>();
    settings(environment(Map.of(), Map.of()), bean, true).customize(hibernate);
    assertThat(hibernate.get(RowsealSettings.KMS)).isSameAs(bean);

    Map<String, Object> explicit = new HashMap<>();
    settings(environment(Map.of(), Map.of("rowseal.kms", "local")), bean, true).customize(explicit);
    assertThat(explicit).containsEntry(RowsealSettings.KMS, "local");
  }

  @Test
  void testContext_withoutKms_usesInMemory_butNotWhenTheTestSetOne() {
    Map<String, Object> defaulted = new HashMap<>();
    settings(environment(Map.of(), Map.of()), null, true).customize(defaulted);
    assertThat(defaulted.get(RowsealSettings.KMS)).isInstanceOf(InMemoryCmkProvider.class);

    Map<String, Object> viaJpa = new HashMap<>(Map.of(RowsealSettings.KMS, "local"));
    settings(environment(Map.of(), Map.of()), null, true).customize(viaJpa);
    assertThat(viaJpa).containsEntry(RowsealSettings.KMS, "local");

    Map<String, Object> notATest = new HashMap<>();
    settings(environment(Map.of(), Map.of()), null, false).customize(notATest);
    assertThat(notATest).doesNotContainKey(RowsealSettings.KMS);
  }

  private static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> file) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    environment.getPropertySources().addFirst(new MapPropertySource("application.yml", new LinkedHashMap<>(file)));
    return environment;
  }

  private static BootSettings settings(StandardEnvironment environment, CmkProvider kms, boolean testContext) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    if (kms != null) {
      beans.addBean("kms", kms);
    }
    return new BootSettings(environment, beans.getBeanProvider(CmkProvider.class),
        beans.getBeanProvider(BranchKeyStore.class), beans.getBeanProvider(Envelope.class), testContext);
  }
}
