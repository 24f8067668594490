package io.rowseal.benchmarks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the whole-application benchmark ({@link AppLoad}) from rotting: starts each variant of the shop once
 * as {@code AppLoad} does (the jars Maven built in this reactor, on PostgreSQL), seeds a few customers, sends a
 * few reads and writes, and checks the answers and that the stored columns are ciphertext in the rowseal
 * variants (plaintext without). No timing. Skipped where PostgreSQL does not answer, except under
 * {@code CI=true}.
 */
class AppSmokeTest {
  private static ShopLaunch.Factory variants;
  private static Path work;

  @BeforeAll
  static void jars() throws Exception {
    boolean reachable = Shop.databaseReachable();
    if (!reachable && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("PostgreSQL does not answer at " + Shop.JDBC_URL + "; under CI=true this is a failure");
    }
    Assumptions.assumeTrue(reachable, "PostgreSQL does not answer at " + Shop.JDBC_URL + "; skipping");
    work = Path.of(System.getProperty("rowseal.app.work", "target/app-smoke")).toAbsolutePath();
    Files.createDirectories(work);
    // each variant's schema is dropped before it starts: its LocalKms keystore must be new too
    try (Stream<Path> old = Files.list(work)) {
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    variants = new ShopLaunch.Factory(Path.of(System.getProperty("rowseal.app.plain")),
        Path.of(System.getProperty("rowseal.app.sealed")), Path.of(System.getProperty("rowseal.agent.jar")), work);
  }

  static Stream<Arguments> variants() {
    return Stream.of(Arguments.of("plain"), Arguments.of("library"), Arguments.of("agent"),
        Arguments.of("library, AWS SDK jar"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void variant_servesPagesAndSignUps_storedColumnsAsClaimed(String which) throws Exception {
    ShopLaunch launch = switch (which) {
      case "plain" -> variants.plain();
      case "library" -> variants.library();
      case "library, AWS SDK jar" -> variants.libraryInMemoryAwsSdk();
      default -> variants.agent();
    };
    // a schema of the test's own, so that a measurement on the same database is not disturbed
    launch = new ShopLaunch(launch.label(), launch.encrypted(), "smoke_" + launch.schema(), true,
        launch.jvmOptions(), launch.jar(), launch.appArguments(), launch.environment());
    try (Shop shop = Shop.start(launch, work.resolve(which.replaceAll("[^a-z]+", "-") + ".log"))) {
      long[] ids = shop.seed(5);
      assertThat(ids[1] - ids[0]).isEqualTo(4);
      for (long id = ids[0]; id <= ids[1]; id++) {
        HttpResponse<String> page = shop.http().send(shop.page(id), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(shop.tail()).isEqualTo(200);
        assertThat(page.body()).contains("@example.com", "Acacia Avenue", "GB82WEST", "\"orders\":[{");
      }
      HttpResponse<String> created = shop.http().send(shop.signUp("smoke@example.com"),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      String stored = shop.checkStoredColumns();
      assertThat(stored).startsWith(launch.encrypted() ? "bytea" : "varchar");
      LoadGenerator.Window w = LoadGenerator.run(shop, ids, 2, java.time.Duration.ZERO,
          java.time.Duration.ofMillis(500));
      assertThat(w.sortedNanos()).isNotEmpty();
      assertThat(w.millis(0.5)).isLessThanOrEqualTo(w.millis(0.99));
    }
  }

  @org.junit.jupiter.api.Test
  void sealedJars_onlyTheAwsOneCarriesTheAwsSdk_bothLaunchTheShop() throws Exception {
    for (Path jar : java.util.List.of(variants.sealedJar(), variants.sealedAwsJar())) {
      try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
        assertThat(j.getManifest().getMainAttributes().getValue("Start-Class")).as(jar.toString())
            .isEqualTo("io.rowseal.benchmarks.app.ShopApplication");
        java.util.List<String> sdk = j.stream().map(java.util.zip.ZipEntry::getName)
            .filter(n -> n.startsWith("BOOT-INF/lib/") && (n.contains("/kms-") || n.contains("/netty-"))).toList();
        if (jar.equals(variants.sealedAwsJar())) {
          assertThat(sdk).as(jar.toString()).anyMatch(n -> n.contains("/kms-"));
        } else {
          assertThat(sdk).as(jar.toString()).isEmpty();
        }
      }
    }
  }
}
