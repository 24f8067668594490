package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When rowseal cannot be installed next to Hibernate, the application does not start, and says why. */
class FailClosedIT {

  @Test
  void hibernateBoot_agentJarWithoutIntegration_failsWithReason() {
    Path agent = AgentJar.withoutHibernateIntegration();
    Path config = ForkedJvm.writeConfig("fail-closed.properties", "encrypt.1 = com.acme.shop.Customer#email\n");
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");
    String url = "jdbc:h2:mem:failclosed";

    ForkedJvm.Result result = ForkedJvm.run(List.of("-javaagent:" + agent + "=config=" + config),
        ForkedJvm.classPath(shop, ForkedJvm.libraries()), "com.acme.shop.ShopApp", "store", url);

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output())
        .contains("io.rowseal.agent.bootstrap.AgentException: RS-6202 this rowseal-agent jar (" + agent
            + ") carries no rowseal Hibernate integration")
        .doesNotContain("READ ", "OK\n");
  }
}
