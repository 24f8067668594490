package io.rowseal.agent.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Builds the fixture as a Spring Boot executable jar: Spring Boot's launcher at the root, the
 * application in {@code BOOT-INF/classes/}, Hibernate, H2 and the rest as nested, stored jars in
 * {@code BOOT-INF/lib/} — invisible to the system class loader, loaded by Spring Boot's
 * {@code LaunchedClassLoader}.
 */
final class SpringBootJar {

  private static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

  static Path build(String name, String startClass, String packageDir) {
    Path jar = ForkedJvm.work().resolve(name);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LAUNCHER);
    manifest.getMainAttributes().putValue("Start-Class", startClass);
    manifest.getMainAttributes().putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
    manifest.getMainAttributes().putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    Path classes = Path.of(System.getProperty("rowseal.it.test-classes"));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      try (JarFile loader = new JarFile(launcherJar())) {
        for (JarEntry entry : Collections.list(loader.entries())) {
          if (!entry.getName().startsWith("META-INF/")) {
            out.putNextEntry(new JarEntry(entry.getName()));
            out.write(loader.getInputStream(entry).readAllBytes());
            out.closeEntry();
          }
        }
      }
      // Spring Boot addresses BOOT-INF/classes/ as a directory entry of the outer jar
      out.putNextEntry(new JarEntry("BOOT-INF/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("BOOT-INF/classes/"));
      out.closeEntry();
      String prefix = "";
      for (String part : packageDir.split("/")) {
        prefix += part + "/";
        out.putNextEntry(new JarEntry("BOOT-INF/classes/" + prefix));
        out.closeEntry();
      }
      try (Stream<Path> files = Files.walk(classes.resolve(packageDir))) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(new JarEntry("BOOT-INF/classes/"
              + classes.relativize(file).toString().replace(File.separatorChar, '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      out.putNextEntry(new JarEntry("BOOT-INF/lib/"));
      out.closeEntry();
      for (String library : ForkedJvm.libraries()) {
        byte[] bytes = Files.readAllBytes(Path.of(library));
        JarEntry entry = new JarEntry("BOOT-INF/lib/" + Path.of(library).getFileName());
        entry.setMethod(ZipEntry.STORED); // Spring Boot reads nested jars in place: they must be stored
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  private static File launcherJar() {
    try {
      Class<?> launcher = Class.forName(LAUNCHER, false, SpringBootJar.class.getClassLoader());
      return new File(launcher.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
      throw new IllegalStateException("spring-boot-loader is a test dependency of the agent module", e);
    }
  }

  private SpringBootJar() {}
}
