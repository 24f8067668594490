package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unmodified applications, packaged as their users ship them (agent/it-apps), started with the agent on
 * each supported Hibernate line: each boots, writes and reads through its own code, keeps the configured
 * columns' plaintext off the disk, and refuses a value that was altered in the database.
 */
class ShippedApplicationsIT {

  private static final Set<Integer> BINARY = Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);

  static Stream<ShippedApp> applications() {
    return Stream.of(
        ShippedApp.bootJar("boot-3.5", "Spring Boot 3.5 executable jar", "6.6"),
        ShippedApp.bootJar("boot-4.0", "Spring Boot 4.0 executable jar", "7.2"),
        ShippedApp.bootJar("boot-4.1", "Spring Boot 4.1 executable jar", "7.4"),
        ShippedApp.nativeApp("hibernate-6.6", "native bootstrap (no persistence.xml)", "6.6"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applications")
  void write_withTheAgent_readsBackPlaintextAndStoresNoPlaintext(ShippedApp app) throws Exception {
    Path db = ShippedApp.freshDatabase(name(app, "write"));
    assertThat(app.hibernateJar()).as("the Hibernate the application ships")
        .startsWith("hibernate-core-" + app.hibernateLine() + ".");

    ForkedJvm.Result write = app.run(agent(app), "write", db);

    assertThat(write.exitCode()).as(write.toString()).isZero();
    assertThat(write.output()).contains("[rowseal-agent]").contains(app.domain().readLine());
    assertColumnsEncrypted(app, db);
    byte[] file = Files.readAllBytes(ShippedApp.dataFile(db));
    assertThat(Bytes.indexOf(file, app.domain().plainValue())).as("the plaintext column, in the database file")
        .isNotNegative();
    assertThat(Bytes.indexOf(file, secret(app))).as("an encrypted column's plaintext, in the database file")
        .isNegative();

    ForkedJvm.Result read = app.run(agent(app), "read", db);

    assertThat(read.exitCode()).as(read.toString()).isZero();
    assertThat(read.output()).contains(app.domain().readLine());
  }

  /** The control of the test above: the same scan of the same file finds the plaintext without the agent. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("applications")
  void write_withoutTheAgent_storesPlaintext(ShippedApp app) throws Exception {
    Path db = ShippedApp.freshDatabase(name(app, "control"));

    ForkedJvm.Result write = app.run(List.of(), "write", db);

    assertThat(write.exitCode()).as(write.toString()).isZero();
    assertThat(write.output()).doesNotContain("[rowseal-agent]").contains(app.domain().readLine());
    byte[] file = Files.readAllBytes(ShippedApp.dataFile(db));
    assertThat(Bytes.indexOf(file, secret(app))).as("an encrypted column's plaintext, in the database file")
        .isNotNegative();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applications")
  void read_oneByteOfAStoredValueChanged_isRefusedWithRs4201(ShippedApp app) throws Exception {
    Path db = ShippedApp.freshDatabase(name(app, "tamper"));
    ForkedJvm.Result write = app.run(agent(app), "write", db);
    assertThat(write.exitCode()).as(write.toString()).isZero();
    String column = app.domain().encrypted().get(0).name();
    flipOneByte(app, db, column);

    ForkedJvm.Result read = app.run(agent(app), "read", db);

    assertThat(read.exitCode()).as(read.toString()).isNotZero();
    assertThat(read.output()).contains("RS-4201").doesNotContainPattern("(?m)^READ ").doesNotContain(secret(app));
  }

  private static List<String> agent(ShippedApp app) {
    return List.of(ForkedJvm.javaagent(ForkedJvm.writeConfig(name(app, "agent") + ".properties",
        app.domain().agentConfig())));
  }

  /** Every configured column is binary and holds none of its plaintext, read through plain JDBC. */
  private static void assertColumnsEncrypted(ShippedApp app, Path db) throws SQLException {
    try (Connection connection = app.connect(db); Statement statement = connection.createStatement()) {
      for (ShippedApp.Column column : app.domain().encrypted()) {
        try (ResultSet rs = statement.executeQuery("select " + column.name() + " from " + app.domain().table())) {
          assertThat(rs.next()).as("a row in " + app.domain().table()).isTrue();
          assertThat(BINARY).as(column.name() + " is a binary column, got " + rs.getMetaData().getColumnTypeName(1))
              .contains(rs.getMetaData().getColumnType(1));
          byte[] stored = rs.getBytes(1);
          assertThat(stored).as(column.name()).isNotNull();
          assertThat(Bytes.indexOf(stored, column.plaintext())).as(column.name() + " holds its plaintext").isNegative();
        }
      }
    }
  }

  /** Changes one byte in the middle of the stored value, as a DBA with write access could. */
  private static void flipOneByte(ShippedApp app, Path db, String column) throws SQLException {
    try (Connection connection = app.connect(db)) {
      byte[] value;
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("select " + column + " from " + app.domain().table())) {
        assertThat(rs.next()).isTrue();
        value = rs.getBytes(1);
        assertThat(rs.next()).as("one row").isFalse();
      }
      value[value.length / 2] ^= 0x01;
      try (PreparedStatement update = connection.prepareStatement(
          "update " + app.domain().table() + " set " + column + " = ?")) {
        update.setBytes(1, value);
        assertThat(update.executeUpdate()).isEqualTo(1);
      }
    }
  }

  private static String secret(ShippedApp app) {
    return app.domain().encrypted().get(0).plaintext();
  }

  private static String name(ShippedApp app, String what) {
    return app.toString().replaceAll("[^A-Za-z0-9.]+", "-") + "-" + what;
  }
}
