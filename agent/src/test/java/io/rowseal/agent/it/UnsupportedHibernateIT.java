package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application on a Hibernate that rowseal does not support (it-apps/hibernate-6.4-native: the ledger
 * application built on Hibernate ORM 6.4) does not boot under the agent: it fails with RS-6201 naming the
 * version found and the versions supported, never with a raw linkage error, and writes nothing.
 */
class UnsupportedHibernateIT {

  @Test
  void write_hibernate64UnderTheAgent_failsWithRs6201AndWritesNothing() throws Exception {
    ShippedApp app = ShippedApp.nativeApp("hibernate-6.4", "native bootstrap", "6.4");
    String version = app.hibernateJar().replaceFirst("^hibernate-core-(.*)\\.jar$", "$1");
    Path db = ShippedApp.freshDatabase("unsupported-hibernate-6.4");
    Path config = ForkedJvm.writeConfig("unsupported-hibernate-6.4.properties", app.domain().agentConfig());

    ForkedJvm.Result result = app.run(List.of(ForkedJvm.javaagent(config)), "write", db);

    assertThat(version).startsWith(app.hibernateLine() + ".");
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output())
        .contains("RS-6201 unsupported Hibernate ORM " + version + "; rowseal supports 6.6 and 7.0 to 7.4")
        .doesNotContain("NoSuchMethodError", "AbstractMethodError", "NoClassDefFoundError", "WROTE")
        .doesNotContainPattern("(?m)^READ ");
    if (Files.exists(ShippedApp.dataFile(db))) {
      try (Connection connection = app.connect(db);
          ResultSet tables = connection.getMetaData().getTables(null, null, "ACCOUNT", null)) {
        assertThat(tables.next()).as("a table was created: Hibernate booted").isFalse();
      }
    }
  }
}
