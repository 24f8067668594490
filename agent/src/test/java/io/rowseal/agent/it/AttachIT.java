package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code agentmain}: attaching to a running JVM works as long as Hibernate has not built a session factory;
 * classes already loaded are retransformed (the annotation is an attribute, which retransformation may
 * change), later ones are transformed as they load.
 */
class AttachIT {

  private static final String SHOP = "com.acme.shop.ShopApp";
  private static final String CONFIG = "encrypt.email = com.acme.shop.Customer#email\n"
      + "encrypt.email.context = Customer.email\n";

  @Test
  void agentmain_beforeTheClassLoads_annotatesIt() {
    Path config = ForkedJvm.writeConfig("attach.properties", CONFIG);

    ForkedJvm.Result result = runAndAttach(config, "wait-then", "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("[rowseal-agent] INFO rowseal-agent 0.1.0-SNAPSHOT attached: 1 field(s) of 1 class(es)")
        .contains("@io.rowseal.Encrypted(context=\"Customer.email\", lengthBuckets={})]");
  }

  @Test
  void agentmain_afterTheClassLoaded_retransformsIt() {
    Path config = ForkedJvm.writeConfig("attach-loaded.properties", CONFIG);

    ForkedJvm.Result result = runAndAttach(config, "preload-then", "wait-then", "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).contains("@io.rowseal.Encrypted(context=\"Customer.email\", lengthBuckets={})]")
        .doesNotContain("ERROR");
  }

  @Test
  void agentmain_afterHibernateBuiltASessionFactory_refusesAndLeavesTheApplicationRunning() {
    Path config = ForkedJvm.writeConfig("attach-late.properties", CONFIG);

    ForkedJvm.Result result = runAndAttach(config, "started-then", "jdbc:h2:mem:late", "wait-then", "annotations");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("[rowseal-agent] ERROR RS-6007 cannot attach: Hibernate has already built a SessionFactory")
        .contains("ANNOTATION Customer.note (none)")
        .doesNotContain("io.rowseal.Encrypted");
  }

  private static ForkedJvm.Result runAndAttach(Path config, String... args) {
    Path shop = ForkedJvm.fixtureJar("shop.jar", "com/acme/shop");
    return ForkedJvm.run(List.of(), ForkedJvm.classPath(shop, ForkedJvm.libraries()), SHOP, List.of(args),
        running -> {
          running.awaitLine("READY");
          try {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(running.pid()));
            try {
              vm.loadAgent(ForkedJvm.agentJar().toString(), "config=" + config);
            } catch (com.sun.tools.attach.AgentInitializationException refused) {
              // the late-attach case: agentmain threw; the target JVM printed why (asserted) and runs on
              System.out.println("loadAgent refused: " + refused);
            } catch (com.sun.tools.attach.AgentLoadException e) {
              throw new AssertionError(e);
            } finally {
              vm.detach();
            }
          } catch (java.io.IOException | com.sun.tools.attach.AttachNotSupportedException e) {
            throw new AssertionError("cannot attach to " + running.pid(), e);
          }
          running.writeLine("go");
        });
  }
}
