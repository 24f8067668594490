package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentContext;
import io.rowseal.agent.bootstrap.AgentException;
import io.rowseal.agent.bootstrap.JarSectionClassLoader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.jar.JarFile;

/**
 * Connects the rowseal library to every Hibernate the application boots, in whatever class loader that
 * Hibernate lives (docs/AGENT.md, "How the agent finds Hibernate").
 *
 * <p>When a {@code BootstrapServiceRegistryBuilder} is constructed, the agent defines the library (the
 * hidden {@code rowseal-agent/library/} section: rowseal-hibernate, its relocated Caffeine and Bouncy
 * Castle, the agent's glue) in a class loader whose parent is the loader that holds Hibernate, one per
 * such loader, and registers it with {@code applyClassLoader}. Hibernate's service discovery then
 * finds the rowseal integration and the agent's glue exactly as it would on the class path. Each
 * {@code SessionFactoryImpl} must then have been verified by the glue, or its construction fails.
 *
 * <p>Thread-safe.
 */
final class HibernateWiring implements AgentContext {

  /** A class only rowseal-hibernate has: when the application's loader sees it, rowseal is there twice. */
  private static final String ENGINE_PROBE = "io/rowseal/envelope/Envelope.class";
  private static final String INTEGRATION_PACKAGE = "io.rowseal.hibernate.";
  private static final String SERVICES = "META-INF/services/";

  private final JarFile jar;
  private final File jarPath;
  private final AgentConfig config;
  private final TargetTracker tracker;
  private final Map<String, String[]> encryptedFields;
  private final Map<Object, Boolean> verified = Collections.synchronizedMap(new WeakHashMap<>());
  private final ClassValue<JarSectionClassLoader> libraries = new ClassValue<>() {
    @Override
    protected JarSectionClassLoader computeValue(Class<?> builderType) {
      return defineLibrary(builderType);
    }
  };

  HibernateWiring(JarFile jar, File jarPath, AgentConfig config, TargetTracker tracker) {
    this.jar = jar;
    this.jarPath = jarPath;
    this.config = config;
    this.tracker = tracker;
    Map<String, String[]> fields = new LinkedHashMap<>();
    for (Target target : config.targets()) {
      fields.put(target.id(), new String[] {target.context(), target.origin(),
          target.search() == null ? "" : "searchable"});
    }
    this.encryptedFields = Collections.unmodifiableMap(fields);
  }

  @Override
  public void bootstrapRegistryBuilderCreated(Object builder, Class<?> builderType) {
    JarSectionClassLoader library = libraries.get(builderType);
    try {
      builderType.getMethod("applyClassLoader", ClassLoader.class).invoke(builder, library);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new AgentException("RS-6201 cannot install rowseal into this Hibernate ("
          + describe(HibernateVersion.of(builderType)) + "): " + builderType.getName()
          + ".applyClassLoader(ClassLoader) is not available; rowseal supports " + HibernateVersion.SUPPORTED, e);
    } catch (InvocationTargetException e) {
      throw new AgentException("RS-6201 cannot install rowseal into this Hibernate: "
          + "applyClassLoader failed", e.getCause());
    }
  }

  @Override
  public void sessionFactoryCreated(Object sessionFactory) {
    if (verified.containsKey(sessionFactory)) {
      return;
    }
    AgentException failure = new AgentException("RS-6204 Hibernate built a SessionFactory that the rowseal "
        + "agent did not verify, so the fields configured in " + config.source() + " could be written in "
        + "plaintext; it is closed. Likely causes: the application supplies its own ClassLoaderService "
        + "(BootstrapServiceRegistryBuilder.applyClassLoaderService), or it bootstraps Hibernate without a "
        + "BootstrapServiceRegistryBuilder. Hibernate's class loader: "
        + sessionFactory.getClass().getClassLoader());
    if (sessionFactory instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  @Override
  public Map<String, String> hibernateSettings() {
    return config.hibernateSettings();
  }

  @Override
  public List<String> migrateEntities() {
    return config.migrate();
  }

  @Override
  public boolean migrateAtStart() {
    return config.migrateAtStart();
  }

  @Override
  public void info(String message) {
    AgentLog.info(message);
  }

  @Override
  public String configSource() {
    return config.source().toString();
  }

  @Override
  public Map<String, String[]> encryptedFields() {
    return encryptedFields;
  }

  @Override
  public void sessionFactoryVerified(Object sessionFactory, List<String> problems, List<String> warnings) {
    warnings.forEach(AgentLog::warn);
    if (!problems.isEmpty()) {
      throw new AgentException("RS-6205 Hibernate would store configured fields in plaintext, so the "
          + "SessionFactory is not built:\n  - " + String.join("\n  - ", problems));
    }
    List<String> gaps = tracker.gaps();
    if (config.strict() && !gaps.isEmpty()) {
      throw new AgentException("RS-6103 " + AgentConfig.STRICT + "=true and fields configured in "
          + config.source() + " did not load before the SessionFactory was built:\n  - "
          + String.join("\n  - ", gaps));
    }
    warnNeverLoaded(tracker.unreportedGaps(), "when the SessionFactory was built");
    verified.put(sessionFactory, Boolean.TRUE);
  }

  @Override
  public void warn(String message) {
    AgentLog.warn(message);
  }

  /** At JVM shutdown: what never loaded at all. */
  void reportAtShutdown() {
    warnNeverLoaded(tracker.unreportedGaps(), "by the time the JVM shut down");
  }

  private static void warnNeverLoaded(List<String> gaps, String when) {
    if (!gaps.isEmpty()) {
      AgentLog.warn("RS-6103 fields configured for encryption did not load " + when + " (check the "
          + "class and field names; " + AgentConfig.STRICT + "=true makes this an error):\n  - "
          + String.join("\n  - ", gaps));
    }
  }

  private JarSectionClassLoader defineLibrary(Class<?> builderType) {
    ClassLoader hibernateLoader = builderType.getClassLoader();
    if (hibernateLoader == null) {
      throw new AgentException("RS-6201 Hibernate is on the bootstrap class path, where rowseal cannot "
          + "be installed next to it");
    }
    // before anything is defined: the library and the glue are linked against the supported lines only
    String version = HibernateVersion.of(builderType);
    if (!HibernateVersion.isSupported(version)) {
      throw new AgentException("RS-6201 unsupported " + describe(version) + "; rowseal supports "
          + HibernateVersion.SUPPORTED + " (Hibernate loaded by " + hibernateLoader + "), so it is not "
          + "installed and Hibernate does not boot");
    }
    URL existing = hibernateLoader.getResource(ENGINE_PROBE);
    if (existing != null) {
      throw new AgentException("RS-6203 rowseal-hibernate is already on the application's class path ("
          + existing + ") and also inside the rowseal agent: use one of them, not both");
    }
    JarSectionClassLoader library = JarSectionClassLoader.forLibrary(jar, jarPath, hibernateLoader);
    if (integrationProviders(library).isEmpty()) {
      throw new AgentException("RS-6202 this rowseal-agent jar (" + jarPath + ") carries no rowseal "
          + "Hibernate integration (no " + INTEGRATION_PACKAGE + "* service provider): it was built without "
          + "it, or altered; rebuild it with 'mvn package'");
    }
    return library;
  }

  /** The {@code io.rowseal.hibernate.*} providers that the library's service files announce. */
  private static List<String> integrationProviders(JarSectionClassLoader library) {
    return library.list(SERVICES).stream()
        .flatMap(service -> providers(library, service).stream())
        .filter(provider -> provider.startsWith(INTEGRATION_PACKAGE))
        .toList();
  }

  private static List<String> providers(JarSectionClassLoader library, String service) {
    try (InputStream in = library.getResourceAsStream(service)) {
      if (in == null) {
        return List.of();
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(line -> line.replaceFirst("#.*", "").strip())
          .filter(line -> !line.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("RS-6006 cannot read " + service + " from the agent jar", e);
    }
  }

  private static String describe(String hibernateVersion) {
    return "Hibernate ORM " + (hibernateVersion == null
        ? "of unknown version (neither its manifest nor its Maven metadata says)" : hibernateVersion);
  }
}
