package io.rowseal.hibernate;

import io.rowseal.keystore.InMemoryBranchKeyStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/**
 * Prints, or with {@code --apply} runs, the DDL that an existing database needs before rowseal encrypts
 * the given entities ({@link RowsealSchema}). It boots Hibernate on the schema as it is, with no schema
 * export, no column check and keys that live only in memory, so it writes nothing but the DDL it is asked
 * to apply.
 *
 * <pre>
 * java -cp app-classes:rowseal-hibernate.jar:hibernate-and-driver-jars io.rowseal.hibernate.SchemaCommand \
 *     --url jdbc:postgresql://db/app --user app --password-env DB_PASSWORD \
 *     --entity com.acme.Customer --entity com.acme.Visit [--out V42__rowseal.sql] [--apply]
 * </pre>
 */
public final class SchemaCommand {
  private SchemaCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns its exit code (0 done, 2 bad arguments). */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Map<String, Object> settings = new LinkedHashMap<>();
    List<Class<?>> entities = new ArrayList<>();
    boolean apply = false;
    Path file = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--url" -> settings.put("hibernate.connection.url", args[++i]);
          case "--user" -> settings.put("hibernate.connection.username", args[++i]);
          case "--password-env" -> settings.put("hibernate.connection.password", env(args[++i]));
          case "--entity" -> entities.add(Class.forName(args[++i]));
          case "--set" -> {
            String kv = args[++i];
            settings.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
          }
          case "--out" -> file = Path.of(args[++i]);
          case "--apply" -> apply = true;
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      if (!settings.containsKey("hibernate.connection.url") || entities.isEmpty()) {
        throw new IllegalArgumentException("--url and at least one --entity are required");
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | StringIndexOutOfBoundsException
        | ClassNotFoundException e) {
      err.println("rowseal schema: " + e.getMessage());
      err.println("usage: SchemaCommand --url <jdbc-url> [--user <u>] [--password-env <VAR>] --entity <class>... "
          + "[--set key=value]... [--out <file.sql>] [--apply]");
      return 2;
    }
    settings.put("hibernate.hbm2ddl.auto", "none");
    settings.put(RowsealSettings.COLUMN_CHECK, "off");
    settings.put(RowsealSettings.KMS, "in-memory");
    settings.put(RowsealSettings.KEYSTORE, new InMemoryBranchKeyStore());
    Configuration config = new Configuration();
    entities.forEach(config::addAnnotatedClass);
    config.getProperties().putAll(settings);
    try (SessionFactory factory = config.buildSessionFactory()) {
      String script = RowsealSchema.script(factory);
      if (file != null) {
        Files.writeString(file, script, StandardCharsets.UTF_8);
        out.println("rowseal schema: wrote " + file);
      } else {
        out.print(script);
      }
      if (apply) {
        out.println("rowseal schema: applied " + RowsealSchema.apply(factory) + " statement(s)");
      }
    }
    return 0;
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }
}
