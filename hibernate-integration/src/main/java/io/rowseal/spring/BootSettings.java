package io.rowseal.spring;

import io.rowseal.envelope.Envelope;
import io.rowseal.hibernate.EncryptedMappingException;
import io.rowseal.hibernate.RowsealSettings;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.InMemoryCmkProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the {@code rowseal.*} properties from Spring's {@link Environment} and adds them, with the
 * {@link CmkProvider}, {@link BranchKeyStore} or {@link Envelope} bean the context holds, to the
 * settings Spring Boot hands to Hibernate (where rowseal validates them like any Hibernate setting).
 *
 * <p>Each key of {@link RowsealSettings#names()} is bound on its own with Spring's {@link Binder}, so
 * relaxed binding works for every key: {@code ROWSEAL_KMS_LOCAL_PASSPHRASE_ENV},
 * {@code rowseal.kms.local.passphraseEnv} and {@code rowseal.kms.local.passphrase-env} are the same
 * setting. An empty value (a profile blanking a key out) is unset. A {@code rowseal.*} key of a
 * configuration file that is no rowseal setting is passed on as it is, so that rowseal refuses the typo
 * ({@code RS-4010}) instead of ignoring it; the environment variables and system properties are not
 * searched for such keys, as they hold other programs' settings too.
 *
 * <p>Precedence: a key set both as {@code rowseal.x} and as {@code spring.jpa.properties.rowseal.x}
 * must have the same value in both, or the start fails ({@code RS-4010}, naming the key, never the
 * values); an explicit {@code rowseal.kms}, {@code rowseal.keystore} or {@code rowseal.envelope} setting
 * wins over a bean of that type. Thread-safe once built.
 */
final class BootSettings {
  private static final Logger LOG = LoggerFactory.getLogger(BootSettings.class);
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("rowseal");
  /** Settings Spring binds as {@link Duration}, so that {@code 5m} and {@code PT5M} both work as the metadata says. */
  static final Set<String> DURATIONS = Set.of("rowseal.cache.branch-key-ttl", "rowseal.cache.dek-ttl",
      "rowseal.kms.local.domain-key-rotation", "rowseal.health.probe-interval", "rowseal.health.probe-timeout");
  private static final String LIST = "rowseal.previous-cmk-ids";

  private final Environment environment;
  private final ObjectProvider<CmkProvider> cmkProvider;
  private final ObjectProvider<BranchKeyStore> keyStore;
  private final ObjectProvider<Envelope> envelope;
  private final boolean testContext;

  BootSettings(Environment environment, ObjectProvider<CmkProvider> cmkProvider,
      ObjectProvider<BranchKeyStore> keyStore, ObjectProvider<Envelope> envelope, boolean testContext) {
    this.environment = environment;
    this.cmkProvider = cmkProvider;
    this.keyStore = keyStore;
    this.envelope = envelope;
    this.testContext = testContext;
  }

  /** The {@code rowseal.*} settings of the environment, by their canonical key; unset and empty keys absent. */
  static Map<String, Object> read(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, Object> result = new TreeMap<>();
    for (String key : RowsealSettings.names()) {
      Object value;
      if (DURATIONS.contains(key)) {
        value = binder.bind(key, Bindable.of(Duration.class)).orElse(null);
      } else if (key.equals(LIST)) {
        value = binder.bind(key, Bindable.listOf(String.class))
            .map(list -> String.join(",", list.stream().map(String::trim).filter(s -> !s.isEmpty()).toList()))
            .orElse(null);
      } else {
        value = binder.bind(key, Bindable.of(String.class)).map(String::trim).orElse(null);
      }
      if (value != null && !value.toString().isBlank()) {
        result.put(key, value);
      }
    }
    result.putAll(unknown(environment));
    return result;
  }

  /** {@code rowseal.*} keys of configuration files that are no rowseal setting, as written, with their values. */
  private static Map<String, Object> unknown(Environment environment) {
    List<ConfigurationPropertyName> known = RowsealSettings.names().stream().map(ConfigurationPropertyName::of).toList();
    Map<String, Object> result = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable) || isOtherProgramsSource(source)) {
        continue;
      }
      iterable.stream().filter(ROOT::isAncestorOf).forEach(name -> {
        boolean isKnown = known.stream().anyMatch(k -> k.equals(name) || (k.isAncestorOf(name)
            && name.getNumberOfElements() == k.getNumberOfElements() + 1 && name.isLastElementIndexed()));
        ConfigurationProperty property = iterable.getConfigurationProperty(name);
        if (!isKnown && property != null && property.getValue() != null
            && !property.getValue().toString().isBlank()) {
          result.putIfAbsent(name.toString(), property.getValue());
        }
      });
    }
    return result;
  }

  private static boolean isOtherProgramsSource(ConfigurationPropertySource source) {
    Object underlying = source.getUnderlyingSource();
    if (!(underlying instanceof PropertySource<?> ps)) {
      return true;
    }
    return ps.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
        || ps.getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)
        || ps.getName().equals("configurationProperties");
  }

  /** Adds rowseal's settings to the Hibernate properties Spring Boot is about to use (a HibernatePropertiesCustomizer). */
  void customize(Map<String, Object> hibernate) {
    // spring.jpa.properties.rowseal.x= (empty, e.g. from a profile) means unset, as rowseal.x= does
    hibernate.entrySet().removeIf(e -> e.getKey().startsWith("rowseal.") && e.getValue() instanceof String s
        && s.isBlank());
    for (Map.Entry<String, Object> e : read(environment).entrySet()) {
      Object existing = hibernate.get(e.getKey());
      if (existing != null && !sameText(existing, e.getValue())) {
        throw new EncryptedMappingException("RS-4010", "setting " + e.getKey() + " is given both as " + e.getKey()
            + " and as spring.jpa.properties." + e.getKey() + ", with different values; keep one");
      }
      hibernate.put(e.getKey(), e.getValue());
    }
    useBean(hibernate, RowsealSettings.ENVELOPE, envelope.getIfUnique());
    useBean(hibernate, RowsealSettings.KEYSTORE, keyStore.getIfUnique());
    if (!useBean(hibernate, RowsealSettings.KMS, cmkProvider.getIfUnique()) && testContext
        && !hibernate.containsKey(RowsealSettings.KMS) && !hibernate.containsKey(RowsealSettings.ENVELOPE)) {
      // an instance rather than "in-memory": this INFO line is the one message, not rowseal's WARN for a chosen in-memory KMS
      hibernate.put(RowsealSettings.KMS, new InMemoryCmkProvider());
      LOG.info("rowseal: Spring test context without rowseal.kms or a CmkProvider bean: using the in-memory KMS "
          + "(keys live as long as this JVM); set rowseal.kms to test another");
    }
  }

  private static boolean useBean(Map<String, Object> hibernate, String key, Object bean) {
    if (bean == null) {
      return false;
    }
    if (hibernate.containsKey(key)) {
      LOG.info("rowseal: {} is set, so the {} bean of the context is not used", key, bean.getClass().getName());
      return true;
    }
    hibernate.put(key, bean);
    return true;
  }

  private static boolean sameText(Object a, Object b) {
    if (a instanceof Duration || b instanceof Duration) {
      return durationText(a).equals(durationText(b));
    }
    return a.toString().trim().equals(b.toString().trim());
  }

  private static String durationText(Object value) {
    if (value instanceof Duration d) {
      return d.toString();
    }
    try {
      return Duration.parse(value.toString().trim()).toString();
    } catch (RuntimeException e) {
      return value.toString().trim();
    }
  }
}
