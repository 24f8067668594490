package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent jar is self-contained and hides everything but its bootstrap: third-party code is relocated,
 * and no class that the agent's own class loader (which cannot see Hibernate) defines refers to Hibernate.
 */
class JarLayoutIT {

  private static final String AGENT = "rowseal-agent/agent/";
  private static final String LIBRARY = "rowseal-agent/library/";

  @Test
  void jar_visibleEntries_areOnlyTheBootstrap() {
    List<String> visibleClasses = AgentJar.entryNames().stream()
        .filter(name -> !name.startsWith("rowseal-agent/") && name.endsWith(".class"))
        .toList();

    assertThat(visibleClasses).containsExactlyInAnyOrder(
        "io/rowseal/Encrypted.class",
        "io/rowseal/Searchable.class",
        "io/rowseal/Searchable$Normalization.class",
        "io/rowseal/agent/RowsealAgent.class",
        "io/rowseal/agent/bootstrap/AgentContext.class",
        "io/rowseal/agent/bootstrap/AgentException.class",
        "io/rowseal/agent/bootstrap/JarSectionClassLoader.class",
        "io/rowseal/agent/bootstrap/RowsealBridge.class");
  }

  @Test
  void jar_thirdPartyCode_isRelocatedIntoHiddenSections() {
    List<String> names = AgentJar.entryNames();

    assertThat(names).noneMatch(name -> name.matches(
        "(rowseal-agent/(agent|library)/)?(net/bytebuddy|com/github/benmanes|org/bouncycastle)/.*"));
    assertThat(names).contains(
        AGENT + "io/rowseal/agent/shaded/net/bytebuddy/jar/asm/ClassReader.classdata",
        LIBRARY + "io/rowseal/shaded/com/github/benmanes/caffeine/cache/Caffeine.classdata",
        LIBRARY + "io/rowseal/shaded/org/bouncycastle/crypto/macs/HMac.classdata",
        LIBRARY + "io/rowseal/envelope/Envelope.classdata",
        LIBRARY + "io/rowseal/agent/hibernate/AgentIntegrator.classdata");
    // of Byte Buddy, only the ASM it bundles
    assertThat(names).filteredOn(name -> name.startsWith(AGENT + "io/rowseal/agent/shaded/") && !name.endsWith("/"))
        .allMatch(name -> name.startsWith(AGENT + "io/rowseal/agent/shaded/net/bytebuddy/jar/asm/"));
    assertThat(names.stream().filter(name -> name.endsWith(".classdata")))
        .allMatch(name -> name.startsWith(AGENT + "io/rowseal/agent/") || name.startsWith(LIBRARY + "io/rowseal/")
            || name.startsWith(LIBRARY + "org/slf4j/"));
  }

  @Test
  void jar_agentSection_neverRefersToHibernate() {
    assertThat(AgentJar.entriesContaining(AGENT, "org/hibernate/")).isEmpty();
    assertThat(AgentJar.entriesContaining(LIBRARY + "io/rowseal/agent/hibernate/", "org/hibernate/")).isNotEmpty();
  }

  @Test
  void jar_leavesOutTheSpringBootAutoConfiguration() {
    // under the agent, rowseal's configuration is the agent's; a Spring Boot application must not find it
    assertThat(AgentJar.entryNames()).noneMatch(name -> name.contains("io/rowseal/spring/")
        || name.contains("META-INF/spring") || name.endsWith("spring-configuration-metadata.json"));
    assertThat(AgentJar.entryNames()).contains(LIBRARY + "io/rowseal/hibernate/RowsealIntegrator.classdata");
  }

  @Test
  void jar_librarySection_announcesTheAgentGlueToHibernate() {
    assertThat(new String(AgentJar.bytes(AgentJar.SERVICES + "org.hibernate.integrator.spi.Integrator"),
        StandardCharsets.UTF_8)).contains("io.rowseal.agent.hibernate.AgentIntegrator");
    assertThat(new String(AgentJar.bytes(AgentJar.SERVICES + "org.hibernate.service.spi.ServiceContributor"),
        StandardCharsets.UTF_8)).contains("io.rowseal.agent.hibernate.AgentSettingsContributor");
  }
}
