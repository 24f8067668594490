package io.rowseal.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hibernate ORM lines rowseal supports, and the version of a Hibernate the application boots. The
 * agent checks it before installing anything, so an unsupported Hibernate fails at boot with RS-6201
 * naming both — never later with a {@code NoSuchMethodError} or {@code AbstractMethodError} from code
 * compiled against another line. The same range as the integration's own check (RS-4020); a test holds
 * the two together.
 */
final class HibernateVersion {

  /** As the message says it. */
  static final String SUPPORTED = "6.6 and 7.0 to 7.4";

  private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)(?:\\D.*)?");
  private static final String VERSION_CLASS = "org.hibernate.Version";
  /** What {@code Version.getVersionString()} returns when its jar's manifest has no version. */
  private static final String UNKNOWN = "[WORKING]";
  private static final String POM_PROPERTIES = "META-INF/maven/org.hibernate.orm/hibernate-core/pom.properties";

  private HibernateVersion() {}

  static boolean isSupported(String version) {
    Matcher m = version == null ? null : MAJOR_MINOR.matcher(version);
    if (m == null || !m.matches()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    // as the integration's HibernateLine.supported: refused are lines older than 6.6 and newer majors
    return (major == 6 && minor == 6) || major == 7;
  }

  /**
   * The version of the Hibernate that defined {@code hibernateType}: what {@code org.hibernate.Version}
   * reports (its jar's manifest; every line since 3.x has the class), else the Maven metadata that
   * hibernate-core's jar carries and shaded jars usually keep; {@code null} if neither says.
   */
  static String of(Class<?> hibernateType) {
    ClassLoader loader = hibernateType.getClassLoader();
    try {
      Method getter = Class.forName(VERSION_CLASS, false, loader).getMethod("getVersionString");
      if (getter.invoke(null) instanceof String text && !text.isBlank() && !text.startsWith(UNKNOWN)) {
        return text.strip();
      }
    } catch (ReflectiveOperationException | LinkageError notThere) {
      // fall back to the Maven metadata
    }
    URL pom = loader == null ? null : loader.getResource(POM_PROPERTIES);
    if (pom != null) {
      try (InputStream in = pom.openStream()) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version");
      } catch (IOException unreadable) {
        return null;
      }
    }
    return null;
  }
}
