package io.rowseal.agent.internal;

import io.rowseal.agent.bootstrap.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * encrypt.&lt;name&gt;.searchable = equality | prefix      a blind index (optional), with the
 * encrypt.&lt;name&gt;.search-*   = ...                     options of {@code @Searchable}
 * rowseal.agent.strict     = false                         the agent's own setting
 * rowseal.*                = ...                           handed to Hibernate unchanged
 * </pre>
 *
 * Immutable.
 */
final class AgentConfig {

  static final String ENCRYPT = "encrypt.";
  static final String CONTEXT = "context";
  static final String LENGTH_BUCKETS = "length-buckets";
  static final String SEARCHABLE = "searchable";
  static final String SEARCH_PREFIX = "search-prefix";
  static final String SEARCH_NORMALIZE = "search-normalize";
  static final String SEARCH_UNIQUE = "search-unique";
  static final String SEARCH_BITS = "search-bits";
  static final String SEARCH_DISTINCT = "search-distinct-values";
  static final String SEARCH_COLUMN = "search-column";
  /** The options of a field, {@code encrypt.<name>.<option>}, in the order the reference lists them. */
  static final List<String> OPTIONS = List.of(CONTEXT, LENGTH_BUCKETS, SEARCHABLE, SEARCH_PREFIX, SEARCH_NORMALIZE,
      SEARCH_UNIQUE, SEARCH_BITS, SEARCH_DISTINCT, SEARCH_COLUMN);
  private static final List<String> NORMALIZATIONS = List.of("trim", "lower-case", "nfc");
  /** The integration's limit on {@code @Searchable(prefix)}. */
  private static final int MAX_SEARCH_PREFIX = 16;
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
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
    Map<String, Map<String, PropertiesFile.Entry>> options = new HashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    boolean strict = false;
    List<String> migrate = List.of();
    boolean migrateAtStart = false;
    for (PropertiesFile.Entry entry : file.entries()) {
      String key = entry.key();
      if (key.startsWith(ENCRYPT)) {
        String rest = key.substring(ENCRYPT.length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        String option = dot < 0 ? null : rest.substring(dot + 1);
        if (!NAME.matcher(name).matches() || (option != null && !OPTIONS.contains(option))) {
          throw invalid(file, entry, "'" + key + "' is not of the form encrypt.<name> or encrypt.<name>.<option>,"
              + " where <name> is letters, digits, '_' or '-' and <option> one of " + String.join(", ", OPTIONS));
        }
        if (option == null) {
          fields.put(name, entry);
        } else {
          options.computeIfAbsent(name, n -> new HashMap<>()).put(option, entry);
        }
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
            + "': expected encrypt.<name>, encrypt.<name>.<option>, " + STRICT + " or a rowseal.* setting");
      }
    }
    List<Target> targets = new ArrayList<>();
    Map<String, Target> byId = new HashMap<>();
    for (Map.Entry<String, PropertiesFile.Entry> field : fields.entrySet()) {
      Map<String, PropertiesFile.Entry> own = options.getOrDefault(field.getKey(), Map.of());
      Target target = target(file, field.getKey(), field.getValue(), own.get(CONTEXT),
          lengthBuckets(file, own.get(LENGTH_BUCKETS)), search(file, field.getKey(), own));
      Target previous = byId.putIfAbsent(target.id(), target);
      if (previous != null) {
        throw invalid(file, field.getValue(), target.id() + " is already configured at " + previous.origin());
      }
      targets.add(target);
    }
    options.keySet().removeAll(fields.keySet());
    if (!options.isEmpty()) {
      PropertiesFile.Entry orphan = options.values().stream().flatMap(o -> o.values().stream())
          .min((a, b) -> Integer.compare(a.line(), b.line())).orElseThrow();
      String name = orphan.key().substring(ENCRYPT.length(), orphan.key().indexOf('.', ENCRYPT.length()));
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

  /**
   * The {@code encrypt.<name>.search*} options of one field, checked together: {@code null} when the field is
   * not searchable; refused when an option is malformed, has no {@code searchable}, or has no effect.
   */
  private static Target.Search search(PropertiesFile file, String name, Map<String, PropertiesFile.Entry> own) {
    PropertiesFile.Entry searchable = own.get(SEARCHABLE);
    if (searchable == null) {
      PropertiesFile.Entry first = own.entrySet().stream().filter(e -> e.getKey().startsWith("search-"))
          .map(Map.Entry::getValue).min((a, b) -> Integer.compare(a.line(), b.line())).orElse(null);
      if (first != null) {
        throw invalid(file, first, "'" + first.key() + "' needs encrypt." + name
            + ".searchable = equality or prefix");
      }
      return null;
    }
    boolean prefixSearch = switch (searchable.value()) {
      case "equality" -> false;
      case "prefix" -> true;
      default -> throw invalid(file, searchable, "'" + searchable.key() + "' must be equality or prefix, got '"
          + searchable.value() + "'");
    };
    PropertiesFile.Entry prefixEntry = own.get(SEARCH_PREFIX);
    int prefix = 0;
    if (prefixSearch) {
      if (prefixEntry == null) {
        throw invalid(file, searchable, "'" + searchable.key() + " = prefix' needs encrypt." + name
            + ".search-prefix = <longest indexed prefix, 1 to " + MAX_SEARCH_PREFIX + ">");
      }
      prefix = (int) number(file, prefixEntry, 1, MAX_SEARCH_PREFIX);
    } else if (prefixEntry != null) {
      throw invalid(file, prefixEntry, "'" + prefixEntry.key() + "' needs encrypt." + name
          + ".searchable = prefix, not equality");
    }
    List<String> normalize = normalizations(file, own.get(SEARCH_NORMALIZE));
    boolean unique = own.containsKey(SEARCH_UNIQUE) && parseBoolean(file, own.get(SEARCH_UNIQUE));
    PropertiesFile.Entry bitsEntry = own.get(SEARCH_BITS);
    PropertiesFile.Entry distinctEntry = own.get(SEARCH_DISTINCT);
    for (PropertiesFile.Entry sizing : new PropertiesFile.Entry[] {bitsEntry, distinctEntry}) {
      if (unique && sizing != null) {
        throw invalid(file, sizing, "'" + sizing.key() + "' has no effect with encrypt." + name
            + ".search-unique = true, whose index is always 256 bits: remove one of them");
      }
    }
    int bits = bitsEntry == null ? 0 : (int) number(file, bitsEntry, 8, 256);
    long distinct = distinctEntry == null ? 0 : number(file, distinctEntry, 1, Long.MAX_VALUE);
    PropertiesFile.Entry columnEntry = own.get(SEARCH_COLUMN);
    String column = "";
    if (columnEntry != null) {
      column = columnEntry.value();
      if (!COLUMN.matcher(column).matches()) {
        throw invalid(file, columnEntry, "'" + columnEntry.key() + "' takes a column name (letters, digits, '_'),"
            + " got '" + column + "'");
      }
    }
    return new Target.Search(prefix, normalize, unique, bits, distinct, column);
  }

  /** {@code trim,lower-case,nfc} → the names of {@code Searchable.Normalization} constants, in that order. */
  private static List<String> normalizations(PropertiesFile file, PropertiesFile.Entry entry) {
    if (entry == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : entry.value().split(",")) {
      String n = part.strip();
      String constant = n.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!NORMALIZATIONS.contains(n) || out.contains(constant)) {
        throw invalid(file, entry, "'" + entry.key() + "' takes distinct normalizations among "
            + String.join(", ", NORMALIZATIONS) + ", separated by commas; got '" + entry.value() + "'");
      }
      out.add(constant);
    }
    return List.copyOf(out);
  }

  private static long number(PropertiesFile file, PropertiesFile.Entry entry, long min, long max) {
    long value;
    try {
      value = Long.parseLong(entry.value());
    } catch (NumberFormatException e) {
      value = min - 1;
    }
    if (value < min || value > max) {
      throw invalid(file, entry, "'" + entry.key() + "' takes a whole number from " + min
          + (max == Long.MAX_VALUE ? " up" : " to " + max) + ", got '" + entry.value() + "'");
    }
    return value;
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
      PropertiesFile.Entry context, int[] lengthBuckets, Target.Search search) {
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
    return new Target(name, className, fieldName, logicalName, lengthBuckets, search, file.at(field));
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
