package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad configuration stops the JVM before the application starts, or warns, as docs/AGENT.md says. */
class ConfigErrorsIT {

  private static final String SHOP = "com.acme.shop.ShopApp";

  private static ForkedJvm.Result runShop(String agentOption) {
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");
    return ForkedJvm.run(List.of(agentOption), ForkedJvm.classPath(shop, ForkedJvm.libraries()), SHOP,
        "annotations");
  }

  @Test
  void premain_malformedConfig_jvmDoesNotStartAndMessageNamesFileAndLine() {
    Path config = ForkedJvm.writeConfig("malformed.properties", """
        encrypt.1 = com.acme.shop.Customer#email

        encrypt.2 = com.acme.shop.Customer
        """);

    ForkedJvm.Result result = runShop(ForkedJvm.javaagent(config));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output())
        .contains("[rowseal-agent] ERROR RS-6004 " + config + ":3: 'com.acme.shop.Customer' is not of the"
            + " form fully.qualified.Class#field")
        .contains("the application is not started")
        .doesNotContain("ANNOTATION", "Exception");
  }

  @Test
  void premain_unknownKey_jvmDoesNotStart() {
    Path config = ForkedJvm.writeConfig("typo.properties", """
        encrypt.1 = com.acme.shop.Customer#email
        rowseal.agent.strcit = true
        """);

    ForkedJvm.Result result = runShop(ForkedJvm.javaagent(config));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains("RS-6004 " + config + ":2: unknown agent setting 'rowseal.agent.strcit'");
  }

  @Test
  void premain_missingConfigFile_jvmDoesNotStart() {
    Path missing = ForkedJvm.work().resolve("no-such.properties");

    ForkedJvm.Result result = runShop(ForkedJvm.javaagent(missing));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains("RS-6002 the rowseal agent configuration " + missing + " does not exist")
        .doesNotContain("ANNOTATION");
  }

  @Test
  void premain_noArguments_explainsUsage() {
    ForkedJvm.Result result = runShop("-javaagent:" + ForkedJvm.agentJar());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains("RS-6001 the rowseal agent needs a configuration file: "
        + "use -javaagent:rowseal-agent.jar=config=/path/to/rowseal.properties");
  }

  @Test
  void premain_classNeverLoaded_warnsListingIt() {
    Path config = ForkedJvm.writeConfig("never-loaded.properties", """
        encrypt.1 = com.acme.shop.Customer#email
        encrypt.2 = com.acme.shop.Custmer#email
        """);

    ForkedJvm.Result result = runShop(ForkedJvm.javaagent(config));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("@io.rowseal.Encrypted(context=\"\", lengthBuckets={})]")
        .contains("[rowseal-agent] WARN RS-6103 fields configured for encryption did not load by the time the"
            + " JVM shut down")
        .contains("  - com.acme.shop.Custmer#email (" + config + ":2): class com.acme.shop.Custmer was never loaded")
        .doesNotContain("Customer#email (");
  }

  @Test
  void premain_fieldMissing_warnsWithTheClassFields() {
    Path config = ForkedJvm.writeConfig("field-missing.properties", """
        encrypt.1 = com.acme.shop.Customer#emial
        """);

    ForkedJvm.Result result = runShop(ForkedJvm.javaagent(config));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("WARN RS-6102 com.acme.shop.Customer#emial (" + config + ":1): class com.acme.shop.Customer")
        .contains("declares no field emial; its fields are id, name, email, birthDate, note")
        .contains("  - com.acme.shop.Customer#emial (" + config + ":1): class com.acme.shop.Customer has no field emial");
  }
}
