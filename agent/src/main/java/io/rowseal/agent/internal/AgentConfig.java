package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The agent's configuration file, validated eagerly: any mistake stops the JVM before the application
 * starts, with the file and line (docs/AGENT.md, "Configuration reference").
 *
 * <pre>
 * encrypt.&lt;name&gt;         = fully.qualified.Class#field   a field to encrypt
 * encrypt.&lt;name&gt;.context = Customer.email                its logical name (optional)
 * encrypt.&lt;name&gt;.length-buckets = 16,64,256          pad values to these lengths (optional)
 * rowseal.agent.strict     = false                         the agent's own setting
 * rowseal.*                = ...                           handed to Hibernate unchanged
 * </pre>
 *
 * Immutable.
 */
final class AgentConfig {

  static final String ENCRYPT = "encrypt.";
  static final String CONTEXT_SUFFIX = ".context";
  static final String BUCKETS_SUFFIX = ".length-buckets";
  static final String AGENT_PREFIX = "rowseal.agent.";
  static final String STRICT = "rowseal.agent.strict";
  /** Entity classes whose existing rows the migration job rewrites once a session factory maps them. */
  static final String MIGRATE = "rowseal.agent.migrate";
  /** Whether that job runs before the session factory is handed to the application (default: alongside). */
  static final String MIGRATE_AT_START = "rowseal.agent.migrate-at-start";
  static final String SETTINGS_PREFIX = "rowseal.";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
  private static final Pattern CLASS_NAME = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
  private static final Pattern FIELD_NAME = Pattern.compile(IDENTIFIER);

  private final Path source;
  private final List<Target> targets;
  private final Map<String, String> hibernateSettings;
  private final boolean strict;
  private List<String> migrate = List.of();
  private boolean migrateAtStart;

  private AgentConfig(Path source, List<Target> targets, Map<String, String> hibernateSettings, boolean strict) {
    this.source = source;
    this.targets = List.copyOf(targets);
    this.hibernateSettings = Collections.unmodifiableMap(new LinkedHashMap<>(hibernateSettings));
    this.strict = strict;
  }

  static AgentConfig load(Path file) {
    return from(PropertiesFile.read(file));
  }

  static AgentConfig from(PropertiesFile file) {
    Map<String, PropertiesFile.Entry> fields = new LinkedHashMap<>();
    Map<String, PropertiesFile.Entry> contexts = new HashMap<>();
    Map<String, PropertiesFile.Entry> buckets = new HashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    boolean strict = false;
    List<String> migrate = List.of();
    boolean migrateAtStart = false;
    for (PropertiesFile.Entry entry : file.entries()) {
      String key = entry.key();
      if (key.startsWith(ENCRYPT)) {
        String rest = key.substring(ENCRYPT.length());
        boolean isContext = rest.endsWith(CONTEXT_SUFFIX);
        boolean isBuckets = rest.endsWith(BUCKETS_SUFFIX);
        String name = isContext ? rest.substring(0, rest.length() - CONTEXT_SUFFIX.length())
            : isBuckets ? rest.substring(0, rest.length() - BUCKETS_SUFFIX.length()) : rest;
        if (!NAME.matcher(name).matches()) {
          throw invalid(file, entry, "'" + key + "' is not of the form encrypt.<name>, encrypt.<name>.context or "
              + "encrypt.<name>.length-buckets, where <name> is letters, digits, '_' or '-'");
        }
        (isContext ? contexts : isBuckets ? buckets : fields).put(name, entry);
      } else if (key.equals(STRICT)) {
        strict = parseBoolean(file, entry);
      } else if (key.equals(MIGRATE)) {
        migrate = classNames(file, entry);
      } else if (key.equals(MIGRATE_AT_START)) {
        migrateAtStart = parseBoolean(file, entry);
      } else if (key.startsWith(AGENT_PREFIX)) {
        throw invalid(file, entry, "unknown agent setting '" + key + "': known are " + STRICT + ", " + MIGRATE
            + " and " + MIGRATE_AT_START);
      } else if (key.startsWith(SETTINGS_PREFIX)) {
        if (entry.value().isEmpty()) {
          throw invalid(file, entry, "the setting '" + key + "' has no value");
        }
        settings.put(key, entry.value());
      } else {
        throw invalid(file, entry, "unknown key '" + key
            + "': expected encrypt.<name>, encrypt.<name>.context, " + STRICT + " or a rowseal.* setting");
      }
    }
    List<Target> targets = new ArrayList<>();
    Map<String, Target> byId = new HashMap<>();
    for (Map.Entry<String, PropertiesFile.Entry> field : fields.entrySet()) {
      PropertiesFile.Entry context = contexts.remove(field.getKey());
      Target target = target(file, field.getKey(), field.getValue(), context,
          lengthBuckets(file, buckets.remove(field.getKey())));
      Target previous = byId.putIfAbsent(target.id(), target);
      if (previous != null) {
        throw invalid(file, field.getValue(), target.id() + " is already configured at " + previous.origin());
      }
      targets.add(target);
    }
    contexts.putAll(buckets);
    if (!contexts.isEmpty()) {
      PropertiesFile.Entry orphan = contexts.values().stream()
          .min((a, b) -> Integer.compare(a.line(), b.line())).orElseThrow();
      String suffix = orphan.key().endsWith(BUCKETS_SUFFIX) ? BUCKETS_SUFFIX : CONTEXT_SUFFIX;
      String name = orphan.key().substring(ENCRYPT.length(), orphan.key().length() - suffix.length());
      throw invalid(file, orphan, "'" + orphan.key() + "' has no field: add encrypt." + name
          + " = fully.qualified.Class#field");
    }
    if (targets.isEmpty()) {
      throw new AgentException("RS-6004 " + file.path() + ": configures no field to encrypt;"
          + " add lines such as encrypt.1 = com.acme.Customer#email");
    }
    AgentConfig config = new AgentConfig(file.path(), targets, settings, strict);
    config.migrate = migrate;
    config.migrateAtStart = migrateAtStart;
    return config;
  }

  private static List<String> classNames(PropertiesFile file, PropertiesFile.Entry entry) {
    List<String> names = new ArrayList<>();
    for (String name : entry.value().split(",")) {
      String n = name.strip();
      if (!n.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
        throw invalid(file, entry, MIGRATE + " takes fully qualified entity class names separated by commas, "
            + "got '" + n + "'");
      }
      names.add(n);
    }
    return List.copyOf(names);
  }

  /** Entity classes whose existing rows the migration job rewrites ({@value #MIGRATE}). */
  List<String> migrate() {
    return migrate;
  }

  boolean migrateAtStart() {
    return migrateAtStart;
  }

  /** {@code 16,64,256}: positive, strictly ascending byte lengths; {@code null} entry: none. */
  private static int[] lengthBuckets(PropertiesFile file, PropertiesFile.Entry entry) {
    if (entry == null) {
      return new int[0];
    }
    String[] parts = entry.value().split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        out[i] = 0;
      }
      if (out[i] < 1 || (i > 0 && out[i] <= out[i - 1])) {
        throw invalid(file, entry, "'" + entry.key() + "' takes positive, strictly ascending byte lengths separated"
            + " by commas, such as 16,64,256; got '" + entry.value() + "'");
      }
    }
    return out;
  }

  private static Target target(PropertiesFile file, String name, PropertiesFile.Entry field,
      PropertiesFile.Entry context, int[] lengthBuckets) {
    String value = field.value();
    int hash = value.indexOf('#');
    if (hash < 0 || hash != value.lastIndexOf('#')) {
      throw invalid(file, field, "'" + value + "' is not of the form fully.qualified.Class#field");
    }
    String className = value.substring(0, hash);
    String fieldName = value.substring(hash + 1);
    if (!CLASS_NAME.matcher(className).matches() || className.indexOf('.') < 0) {
      throw invalid(file, field, "'" + className + "' is not a fully qualified class name"
          + " (nested classes are written Outer$Inner)");
    }
    if (!FIELD_NAME.matcher(fieldName).matches()) {
      throw invalid(file, field, "'" + fieldName + "' is not a field name");
    }
    String logicalName = "";
    if (context != null) {
      logicalName = context.value();
      if (logicalName.isEmpty()) {
        throw invalid(file, context, "'" + context.key() + "' is empty: remove it to use the default"
            + " logical name, or give one such as Customer.email");
      }
    }
    return new Target(name, className, fieldName, logicalName, lengthBuckets, file.at(field));
  }

  private static boolean parseBoolean(PropertiesFile file, PropertiesFile.Entry entry) {
    return switch (entry.value()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(file, entry, "'" + entry.key() + "' must be true or false");
    };
  }

  private static AgentException invalid(PropertiesFile file, PropertiesFile.Entry entry, String what) {
    return new AgentException("RS-6004 " + file.at(entry) + ": " + what);
  }

  Path source() {
    return source;
  }

  List<Target> targets() {
    return targets;
  }

  /** The {@code rowseal.*} settings for Hibernate, without the agent's own {@code rowseal.agent.*}. */
  Map<String, String> hibernateSettings() {
    return hibernateSettings;
  }

  boolean strict() {
    return strict;
  }
}
