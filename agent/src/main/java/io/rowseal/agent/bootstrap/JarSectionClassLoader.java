package io.rowseal.agent.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the classes and resources of one hidden section of the agent jar ({@code rowseal-agent/agent/}
 * or {@code rowseal-agent/library/}), where class files are stored as {@code .classdata} so that no
 * other class loader ever finds them.
 *
 * <p>Own classes come first (child-first), so that an application's copy of a class can never shadow
 * the agent's; everything else is delegated to the parent. The exception is the slf4j API, which the
 * library carries only as a fallback for applications without one. Service files ({@code META-INF/services/})
 * are answered from the section only: Hibernate already asks its own class loader for its own.
 *
 * <p>Thread-safe (parallel capable).
 */
public final class JarSectionClassLoader extends ClassLoader {

  /** The agent's implementation and its relocated ASM (from Byte Buddy). */
  public static final String AGENT_SECTION = "rowseal-agent/agent/";
  /** The library defined next to each Hibernate: rowseal-hibernate and the agent's Hibernate glue. */
  public static final String LIBRARY_SECTION = "rowseal-agent/library/";

  private static final String CLASS_DATA = ".classdata";
  /**
   * The logging API of rowseal-hibernate: the application's own copy when it has one, so rowseal logs
   * where the application logs; the library's copy (then silent, without a provider) otherwise.
   */
  private static final String PARENT_FIRST = "org.slf4j.";
  private static final String SERVICES = "META-INF/services/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String section;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  private JarSectionClassLoader(String name, JarFile jar, File jarPath, String section, ClassLoader parent) {
    super(name, parent);
    this.jar = jar;
    this.section = section;
    try {
      URL location = jarPath.toURI().toURL();
      this.jarUrl = "jar:" + location + "!/";
      this.protectionDomain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
    } catch (MalformedURLException e) {
      throw new AgentException("RS-6006 cannot address the agent jar " + jarPath, e);
    }
  }

  /** The agent's own, isolated class loader; its parent is the platform class loader. */
  public static JarSectionClassLoader forAgent(JarFile jar, File jarPath) {
    return new JarSectionClassLoader("rowseal-agent", jar, jarPath, AGENT_SECTION,
        ClassLoader.getPlatformClassLoader());
  }

  /** The rowseal library for the Hibernate that {@code hibernateLoader} holds; that loader is its parent. */
  public static JarSectionClassLoader forLibrary(JarFile jar, File jarPath, ClassLoader hibernateLoader) {
    return new JarSectionClassLoader("rowseal-library", jar, jarPath, LIBRARY_SECTION, hibernateLoader);
  }

  /** Whether the section holds the named resource (a path such as {@code io/rowseal/X.class}). */
  public boolean holds(String resourceName) {
    return jar.getEntry(entryName(resourceName)) != null;
  }

  /** The names of the section's entries under {@code prefix} (section-relative), for diagnostics. */
  public List<String> list(String prefix) {
    List<String> names = new ArrayList<>();
    String full = section + prefix;
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      String name = entries.nextElement().getName();
      if (name.startsWith(full) && !name.endsWith("/")) {
        names.add(name.substring(section.length()));
      }
    }
    return names;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> type = findLoadedClass(name);
      if (type == null) {
        boolean own = !name.startsWith("java.") && holds(name.replace('.', '/') + ".class");
        if (own && name.startsWith(PARENT_FIRST) && getParent() != null) {
          try {
            return getParent().loadClass(name);
          } catch (ClassNotFoundException absent) {
            type = findClass(name);
          }
        } else if (own) {
          type = findClass(name);
        } else {
          return super.loadClass(name, resolve);
        }
      }
      if (resolve) {
        resolveClass(type);
      }
      return type;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(entryName(name.replace('.', '/') + ".class"));
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("RS-6006 cannot read " + entry.getName() + " from the agent jar", e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      String packageName = name.substring(0, dot);
      if (getDefinedPackage(packageName) == null) {
        try {
          definePackage(packageName, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // defined concurrently by another thread: fine
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    URL own = findResource(name);
    if (name.startsWith(SERVICES)) {
      return own == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(own));
    }
    List<URL> all = new ArrayList<>();
    if (own != null) {
      all.add(own);
    }
    all.addAll(Collections.list(super.getResources(name)));
    return Collections.enumeration(all);
  }

  @Override
  protected URL findResource(String name) {
    String entry = entryName(name);
    if (jar.getEntry(entry) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entry);
    } catch (MalformedURLException e) {
      throw new AgentException("RS-6006 cannot address " + entry + " in the agent jar", e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL own = findResource(name);
    return own == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(own));
  }

  private String entryName(String resourceName) {
    String name = resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
    if (name.endsWith(".class")) {
      name = name.substring(0, name.length() - ".class".length()) + CLASS_DATA;
    }
    return section + name;
  }
}
