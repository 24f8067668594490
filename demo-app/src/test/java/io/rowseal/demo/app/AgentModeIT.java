package io.rowseal.demo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged demo in agent mode: the same jar under {@code -javaagent:rowseal-agent.jar}, with the
 * un-annotated entities of {@code io.rowseal.demo.plain}. Skipped (reported as such) until the agent's
 * jar is built.
 */
class AgentModeIT {

  @TempDir
  Path temp;

  private Path agentJar;
  private Path agentConfig;

  @BeforeEach
  void agentBuilt() {
    agentJar = Path.of(System.getProperty("demo.agent.jar", "../agent/target/rowseal-agent.jar")).toAbsolutePath();
    agentConfig = Path.of(System.getProperty("demo.agent.config", "agent.properties")).toAbsolutePath();
    assumeTrue(Files.isRegularFile(agentJar), "the rowseal agent is not built (" + agentJar + ")");
  }

  @Test
  void runAll_underTheAgent_encryptsTheUnannotatedEntities() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("work"));

    JarRun run = JarRun.run(dir, List.of("-javaagent:" + agentJar + "=config=" + agentConfig), "run-all");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out()).contains("agent mode").contains("[ok] no plaintext");
    try (StoredData data = new StoredData(dir)) {
      assertThat(data.rows()).hasSize(SampleCustomers.FIRST_RUN.size());
      assertThat(data.decrypted()).hasSize(SampleCustomers.FIRST_RUN.size());
    }
  }
}
