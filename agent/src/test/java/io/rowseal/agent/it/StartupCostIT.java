package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Measures what the agent costs at start-up (docs/AGENT.md, "Start-up cost"): an application whose
 * {@code main} does nothing, and 200 generated entity-like classes of 10 fields, 2 of them configured, each
 * run with and without the agent, interleaved. Asserts only what the agent did (the configured fields
 * annotated, its one INFO line, no warning); the times are printed (no timing thresholds: the machine is
 * shared).
 */
class StartupCostIT {

  private static final int CLASSES = 200;
  private static final int FIELDS = 10;
  private static final int RUNS = 3;
  private static final int TRIVIAL_RUNS = 10;
  private static final Pattern LOADED = Pattern.compile("LOADED \\d+ classes in ([0-9.]+) ms");
  private static final Pattern INSTALLED = Pattern.compile("installed: .* in (\\d+) ms");

  @Test
  void premain_applicationThatDoesNothing_annotatesItsFieldAndReportsTheCost() throws Exception {
    Path jar = generatedClasses();
    Path configFile = ForkedJvm.writeConfig("startup-cost-noop.properties",
        "encrypt.secret = com.acme.gen.Noop#secret\n");

    List<Double> install = new ArrayList<>();
    List<Double> wallWithout = new ArrayList<>();
    List<Double> wallWith = new ArrayList<>();
    for (int run = 0; run < TRIVIAL_RUNS; run++) {
      long t0 = System.nanoTime();
      ForkedJvm.Result plain = ForkedJvm.run(List.of(), jar.toString(), "com.acme.gen.Noop");
      wallWithout.add((System.nanoTime() - t0) / 1e6);
      long t1 = System.nanoTime();
      ForkedJvm.Result agent = ForkedJvm.run(List.of(ForkedJvm.javaagent(configFile)), jar.toString(),
          "com.acme.gen.Noop");
      wallWith.add((System.nanoTime() - t1) / 1e6);

      assertThat(plain.exitCode()).as(plain.toString()).isZero();
      assertThat(agent.exitCode()).as(agent.toString()).isZero();
      assertThat(plain.output()).contains("NOOP secret annotated: false");
      assertThat(agent.output()).contains("NOOP secret annotated: true")
          .contains("[rowseal-agent] INFO rowseal-agent 0.1.0-SNAPSHOT installed: 1 field(s) of 1 class(es)")
          .doesNotContain("WARN", "ERROR");
      install.add(number(INSTALLED, agent.output()));
    }
    System.out.printf("STARTUP-COST an application whose main does nothing, 1 configured field, %d runs "
            + "(best / median):%n"
            + "  agent premain (from its entry to its return): %.0f / %.0f ms%n"
            + "  whole JVM run: %.0f / %.0f ms without the agent, %.0f / %.0f ms with it%n",
        TRIVIAL_RUNS, best(install), median(install), best(wallWithout), median(wallWithout), best(wallWith),
        median(wallWith));
  }

  @Test
  void load_200ConfiguredClasses_annotatesAllAndReportsTheCost() throws Exception {
    Path jar = generatedClasses();
    StringBuilder config = new StringBuilder();
    for (int i = 0; i < CLASSES; i++) {
      config.append("encrypt.e").append(i).append("a = com.acme.gen.Entity").append(i).append("#field0\n");
      config.append("encrypt.e").append(i).append("b = com.acme.gen.Entity").append(i).append("#field5\n");
    }
    Path configFile = ForkedJvm.writeConfig("startup-cost.properties", config.toString());

    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    List<Double> install = new ArrayList<>();
    List<Long> wallWithout = new ArrayList<>();
    List<Long> wallWith = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      long t0 = System.nanoTime();
      ForkedJvm.Result plain = ForkedJvm.run(List.of(), jar.toString(), "com.acme.gen.LoadAll");
      wallWithout.add((System.nanoTime() - t0) / 1_000_000);
      long t1 = System.nanoTime();
      ForkedJvm.Result agent = ForkedJvm.run(List.of(ForkedJvm.javaagent(configFile)), jar.toString(),
          "com.acme.gen.LoadAll");
      wallWith.add((System.nanoTime() - t1) / 1_000_000);

      assertThat(plain.exitCode()).as(plain.toString()).isZero();
      assertThat(agent.exitCode()).as(agent.toString()).isZero();
      assertThat(plain.output()).contains("ANNOTATED 0 of " + CLASSES * FIELDS);
      assertThat(agent.output()).contains("ANNOTATED " + 2 * CLASSES + " of " + CLASSES * FIELDS)
          .doesNotContain("WARN", "ERROR");
      without.add(number(LOADED, plain.output()));
      with.add(number(LOADED, agent.output()));
      install.add(number(INSTALLED, agent.output()));
    }
    System.out.printf("STARTUP-COST %d classes x %d fields, %d configured, %d runs (median):%n"
            + "  agent premain (from its entry to its return): %.0f ms%n"
            + "  loading the classes: %.1f ms without the agent, %.1f ms with it%n"
            + "  whole JVM run: %d ms without, %d ms with%n",
        CLASSES, FIELDS, 2 * CLASSES, RUNS, median(install), median(without), median(with),
        (long) median(wallWithout.stream().map(Long::doubleValue).toList()),
        (long) median(wallWith.stream().map(Long::doubleValue).toList()));
  }

  private static Path generated;

  private static synchronized Path generatedClasses() throws IOException {
    if (generated == null) {
      generated = generate();
    }
    return generated;
  }

  private static Path generate() throws IOException {
    Path src = Files.createDirectories(ForkedJvm.work().resolve("gen/src/com/acme/gen"));
    Path classes = Files.createDirectories(ForkedJvm.work().resolve("gen/classes"));
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < CLASSES; i++) {
      StringBuilder body = new StringBuilder("package com.acme.gen;\npublic class Entity" + i + " {\n");
      for (int f = 0; f < FIELDS; f++) {
        body.append("  private String field").append(f).append(";\n");
      }
      sources.add(Files.writeString(src.resolve("Entity" + i + ".java"), body.append("}\n")));
    }
    sources.add(Files.writeString(src.resolve("Noop.java"), """
        package com.acme.gen;
        public final class Noop {
          private String secret;
          public static void main(String[] args) throws Exception {
            boolean annotated = Noop.class.getDeclaredField("secret").getDeclaredAnnotations().length > 0;
            System.out.println("NOOP secret annotated: " + annotated);
          }
        }
        """));
    sources.add(Files.writeString(src.resolve("LoadAll.java"), """
        package com.acme.gen;
        public final class LoadAll {
          public static void main(String[] args) throws Exception {
            ClassLoader loader = LoadAll.class.getClassLoader();
            Class<?>[] types = new Class<?>[%d];
            long start = System.nanoTime();
            for (int i = 0; i < types.length; i++) {
              types[i] = Class.forName("com.acme.gen.Entity" + i, false, loader);
            }
            double ms = (System.nanoTime() - start) / 1e6;
            int annotated = 0, fields = 0;
            for (Class<?> type : types) {
              for (java.lang.reflect.Field field : type.getDeclaredFields()) {
                fields++;
                for (java.lang.annotation.Annotation a : field.getDeclaredAnnotations()) {
                  if (a.annotationType().getName().equals("io.rowseal.Encrypted")) annotated++;
                }
              }
            }
            System.out.printf("LOADED %%d classes in %%.1f ms%%n", types.length, ms);
            System.out.println("ANNOTATED " + annotated + " of " + fields);
          }
        }
        """.formatted(CLASSES)));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
    sources.forEach(source -> args.add(source.toString()));
    assertThat(compiler.run(null, null, null, args.toArray(new String[0]))).isZero();
    Path jar = ForkedJvm.work().resolve("generated-entities.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  private static double number(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  private static double best(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
