package io.rowseal.agent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/** Reads the built agent jar, and makes altered copies of it for the fail-closed tests. */
final class AgentJar {

  static final String SERVICES = "rowseal-agent/library/META-INF/services/";

  /** Whether the jar carries the rowseal Hibernate integration (io.rowseal.hibernate.* providers). */
  static boolean carriesHibernateIntegration() {
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      return Collections.list(jar.entries()).stream()
          .filter(entry -> entry.getName().startsWith(SERVICES) && !entry.isDirectory())
          .anyMatch(entry -> read(jar, entry).contains("io.rowseal.hibernate."));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> entryNames() {
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      return Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries under {@code prefix} whose bytes contain {@code text} (ISO-8859-1, as in a constant pool). */
  static List<String> entriesContaining(String prefix, String text) {
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      List<String> found = new java.util.ArrayList<>();
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().startsWith(prefix) && !entry.isDirectory()
            && new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1).contains(text)) {
          found.add(entry.getName());
        }
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String entryName) {
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      return jar.getInputStream(jar.getEntry(entryName)).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy whose service files announce no io.rowseal.hibernate.* provider: an agent built without it. */
  static Path withoutHibernateIntegration() {
    Path copy = ForkedJvm.work().resolve("rowseal-agent-without-integration.jar");
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy))) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        byte[] bytes = jar.getInputStream(entry).readAllBytes();
        if (entry.getName().startsWith(SERVICES) && !entry.isDirectory()) {
          bytes = String.join("\n", new String(bytes, StandardCharsets.UTF_8).lines()
              .filter(line -> !line.contains("io.rowseal.hibernate.")).toList())
              .getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new JarEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }

  private static String read(JarFile jar, JarEntry entry) {
    try {
      return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AgentJar() {}
}
