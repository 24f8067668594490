package io.rowseal.demo;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class loader the demo application runs in, built from the folders next to the jar:
 * {@code lib/*.jar} always, {@code lib/rowseal/*.jar} (rowseal-hibernate) in library mode only.
 *
 * <p>Why a loader of its own rather than a {@code Class-Path} manifest: in agent mode Hibernate must not
 * see rowseal-hibernate, because the agent installs its own copy next to Hibernate and refuses to run
 * beside a second one ({@code RS-6203}). The application then also runs the way a Spring Boot jar does,
 * with Hibernate in a class loader that is not the system class loader, which is the case the agent
 * is built for.
 */
final class ApplicationClassPath {
  static final String LIB = "lib";
  static final String ROWSEAL_LIB = "lib/rowseal";

  private ApplicationClassPath() {}

  static ClassLoader loader(boolean agent) {
    Path jar = ownLocation();
    if (!Files.isRegularFile(jar)) {
      // Run from compiled classes (an IDE, a test): the class path is already complete.
      if (agent) {
        throw new DemoLaunchException("agent mode runs from the packaged jar only: "
            + "mvn -B -q -pl demo-app -am package -DskipTests");
      }
      return Main.class.getClassLoader();
    }
    List<URL> urls = new ArrayList<>();
    urls.add(url(jar));
    urls.addAll(jars(jar.resolveSibling(LIB)));
    if (!agent) {
      List<URL> rowseal = jars(jar.resolveSibling(ROWSEAL_LIB));
      if (rowseal.isEmpty()) {
        throw new DemoLaunchException("no rowseal-hibernate jar in " + jar.resolveSibling(ROWSEAL_LIB)
            + "; rebuild with mvn -B -q -pl demo-app -am package -DskipTests");
      }
      urls.addAll(rowseal);
    }
    return new URLClassLoader(Main.NAME, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  private static Path ownLocation() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new DemoLaunchException("cannot tell where the demo jar is: " + e.getMessage(), e);
    }
  }

  private static List<URL> jars(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new DemoLaunchException("missing folder " + folder + " next to the demo jar; rebuild with "
          + "mvn -B -q -pl demo-app -am package -DskipTests");
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
          .map(ApplicationClassPath::url).toList();
    } catch (IOException e) {
      throw new DemoLaunchException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static URL url(Path file) {
    try {
      return file.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new DemoLaunchException("cannot use " + file + ": " + e.getMessage(), e);
    }
  }
}
