package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent adds {@code @Encrypted} to the configured fields, whatever class loader loads them. */
class AnnotationIT {

  private static final String SHOP = "com.acme.shop.ShopApp";
  private static final String CONFIG = """
      # the fixture's personal data
      encrypt.email = com.acme.shop.Customer#email
      encrypt.email.context = Customer.email
      encrypt.email.length-buckets = 32,128
      encrypt.birth = com.acme.shop.Customer#birthDate
      """;

  @Test
  void annotations_plainClassPath_addsEncryptedToConfiguredFieldsOnly() {
    Path config = ForkedJvm.writeConfig("annotations.properties", CONFIG);
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(shop, ForkedJvm.libraries()), SHOP, "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("[rowseal-agent] INFO rowseal-agent 0.1.0-SNAPSHOT installed: 2 field(s) of 1 class(es)")
        .containsPattern("ANNOTATION Customer.email \\[@jakarta.validation.constraints.Email\\(.*\\), "
            + "@jakarta.validation.constraints.NotNull\\(.*\\), @io.rowseal.Encrypted\\(context=\"Customer.email\", lengthBuckets=\\{32, 128\\}\\)]")
        .contains("ANNOTATION Customer.birthDate [@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]")
        .contains("ANNOTATION Customer.name (none)")
        .contains("ANNOTATION Customer.note (none)")
        .doesNotContain("WARN", "ERROR")
        .endsWith("OK\n");
  }

  /**
   * {@code @Searchable} resolves from the class's loader like {@code @Encrypted}: were it not on the bootstrap
   * class path, reflection would silently drop it, and Hibernate would map no index.
   */
  @Test
  void annotations_searchableField_carriesSearchableAtRunTime() {
    Path config = ForkedJvm.writeConfig("annotations-search.properties", CONFIG + """
        encrypt.email.searchable = equality
        encrypt.email.search-normalize = trim,lower-case
        encrypt.name = com.acme.shop.Customer#name
        encrypt.name.searchable = prefix
        encrypt.name.search-prefix = 3
        encrypt.name.search-bits = 12
        """);
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(shop, ForkedJvm.libraries()), SHOP, "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("ANNOTATION Customer.birthDate [@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]");
    // the JDK prints an annotation's elements in no fixed order
    assertThat(line(result, "ANNOTATION Customer.email ")).contains(
        "@io.rowseal.Encrypted(context=\"Customer.email\", lengthBuckets={32, 128}), @io.rowseal.Searchable(")
        .contains("normalize={TRIM, LOWER_CASE}", "prefix=0", "unique=false", "bits=0", "distinctValues=0L", "column=\"\"");
    assertThat(line(result, "ANNOTATION Customer.name ")).contains(
        "[@io.rowseal.Encrypted(context=\"\", lengthBuckets={}), @io.rowseal.Searchable(")
        .contains("normalize={}", "prefix=3", "unique=false", "bits=12", "distinctValues=0L", "column=\"\"");
    assertThat(result.output())
        .doesNotContain("WARN", "ERROR");
  }

  private static String line(ForkedJvm.Result result, String start) {
    return result.output().lines().filter(l -> l.startsWith(start)).findFirst().orElse("(no line " + start + ")");
  }

  @Test
  void annotations_childClassLoaderHoldsEntitiesAndHibernate_stillAnnotates() {
    Path config = ForkedJvm.writeConfig("annotations-child.properties", CONFIG);
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");
    Path launcher = ForkedJvm.fixtureJar("launcher.jar", "com/acme/launcher");

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)),
        launcher.toString(), "com.acme.launcher.ChildLoaderLauncher",
        ForkedJvm.classPath(shop, ForkedJvm.libraries()), SHOP, "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .containsPattern("ANNOTATION Customer.email \\[@jakarta.validation.constraints.Email\\(.*\\), "
            + "@jakarta.validation.constraints.NotNull\\(.*\\), @io.rowseal.Encrypted\\(context=\"Customer.email\", lengthBuckets=\\{32, 128\\}\\)]")
        .contains("ANNOTATION Customer.birthDate [@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]")
        .contains("ANNOTATION Customer.name (none)")
        .contains("LOADER java.net.URLClassLoader")
        .doesNotContain("WARN", "ERROR");
  }

  @Test
  void annotations_springBootExecutableJar_annotatesClassesOfTheLaunchedClassLoader() {
    Path config = ForkedJvm.writeConfig("annotations-boot.properties", CONFIG);
    Path bootJar = SpringBootJar.build("shop-boot.jar", SHOP, "com/acme/shop");

    ForkedJvm.Result result = ForkedJvm.runJar(List.of(ForkedJvm.javaagent(config)), bootJar, "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("@io.rowseal.Encrypted(context=\"Customer.email\", lengthBuckets={32, 128})]")
        .contains("ANNOTATION Customer.birthDate [@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]")
        .contains("LOADER org.springframework.boot.loader.launch.LaunchedClassLoader")
        .doesNotContain("WARN", "ERROR");
  }

  @Test
  void annotations_fieldAlreadyAnnotatedInSource_isLeftAlone() {
    Path config = ForkedJvm.writeConfig("annotated.properties", """
        encrypt.iban = com.acme.annotated.AnnotatedApp$Account#iban
        encrypt.iban.context = Account.iban.v2
        encrypt.owner = com.acme.annotated.AnnotatedApp$Account#owner
        """);
    Path app = ForkedJvm.fixtureJar("annotated.jar", "com/acme/annotated");

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(app, ForkedJvm.libraries()), "com.acme.annotated.AnnotatedApp");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("ANNOTATION Account.iban [@io.rowseal.Encrypted(context=\"Account.iban.v1\", lengthBuckets={})]")
        .contains("ANNOTATION Account.owner [@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]");
  }
}
