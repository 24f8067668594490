package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * End to end: the unmodified fixture application, started with the agent, stores the configured columns
 * encrypted in H2 and reads them back in plaintext. Needs the rowseal Hibernate integration inside the
 * agent jar; until rowseal-hibernate has it, these tests are skipped (FailClosedIT shows what happens then).
 */
class EncryptionIT {

  private static final String SHOP = "com.acme.shop.ShopApp";
  private static final String CONFIG = """
      encrypt.email = com.acme.shop.Customer#email
      encrypt.email.context = Customer.email
      encrypt.birth = com.acme.shop.Customer#birthDate
      """;
  private static final String READ = "READ name=Alice Example email=alice@example.com birthDate=1990-05-17 "
      + "note=prefers email";

  @BeforeEach
  void integrationIsThere() {
    // The integration is part of the build: a jar without it is a packaging defect, never a skip.
    assertThat(AgentJar.carriesHibernateIntegration())
        .as("the agent jar carries the rowseal Hibernate integration (io.rowseal.hibernate)").isTrue();
  }

  @Test
  void store_plainClassPath_configuredColumnsAreCiphertextAndReadsArePlaintext(TestInfo test) throws Exception {
    Path db = database(test);

    ForkedJvm.Result result = runShop(plainClassPath(), config(test, CONFIG), "store", url(db));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).contains(READ).contains("PROJECTION email=alice@example.com");
    assertStoredEncrypted(db);
  }

  @Test
  void store_rowsealSettingInTheAgentConfig_reachesTheIntegration(TestInfo test) throws Exception {
    Path db = database(test);

    ForkedJvm.Result result = runShop(plainClassPath(),
        config(test, CONFIG + "rowseal.keystore.table = agent_branch_keys\n"), "store", url(db));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    try (Connection connection = DriverManager.getConnection(url(db), "sa", "");
        ResultSet tables = connection.getMetaData().getTables(null, null, "AGENT_BRANCH_KEYS", null)) {
      assertThat(tables.next()).as("table agent_branch_keys, named by the agent's configuration").isTrue();
    }
  }

  @Test
  void store_childClassLoaderHoldsHibernateAndEntities_stillEncrypts(TestInfo test) throws Exception {
    Path db = database(test);
    Path launcher = ForkedJvm.fixtureJar("launcher.jar", "com/acme/launcher");
    Path config = config(test, CONFIG);

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)), launcher.toString(),
        "com.acme.launcher.ChildLoaderLauncher", shopClassPath(), SHOP, "store", url(db));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).contains(READ);
    assertStoredEncrypted(db);
  }

  @Test
  void store_beanValidationOnAnEncryptedField_seesThePlaintext(TestInfo test) {
    ForkedJvm.Result result = runShop(plainClassPath(), config(test, CONFIG), "invalid", "jdbc:h2:mem:bv");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output())
        .contains("VALIDATION email 'not-an-email' must be a well-formed email address")
        .contains("ROWS 0")
        .doesNotContain("STORED");
  }

  @Test
  void store_applicationWithoutSlf4j_usesTheLibrarysOwnLoggingApi(TestInfo test) throws Exception {
    Path db = database(test);
    String classPath = ForkedJvm.classPath(ForkedJvm.fixtureJar("shop.jar", "com/acme/shop"),
        ForkedJvm.libraries().stream().filter(entry -> !entry.contains("slf4j")).toList());

    ForkedJvm.Result result = runShop(classPath, config(test, CONFIG), "store", url(db));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).contains(READ).doesNotContain("NoClassDefFoundError");
    assertStoredEncrypted(db);
  }

  @Test
  void boot_configuredFieldOfAPropertyAccessEntity_refusesTheSessionFactory(TestInfo test) {
    Path config = config(test, "encrypt.secret = com.acme.props.Product#secret\n");
    Path app = ForkedJvm.fixtureJar("props.jar", "com/acme/props");

    ForkedJvm.Result result = ForkedJvm.run(List.of(ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(app, ForkedJvm.libraries()), "com.acme.props.PropsApp");

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    // whichever check runs first refuses it: the integration's own boot validation (RS-4001) or the
    // agent's mapping verification (RS-6205)
    assertThat(result.output())
        .containsPattern("RS-4001: @Encrypted on Product.secret .* without rowseal's converter"
            + "|RS-6205 (?s).*com.acme.props.Product#secret .*its entity uses property access")
        .doesNotContain("STARTED");
  }

  @Test
  void read_afterRestart_returnsPlaintext(TestInfo test) throws Exception {
    Path db = database(test);
    Path config = config(test, CONFIG);
    assertThat(runShop(plainClassPath(), config, "store", url(db)).exitCode()).isZero();

    ForkedJvm.Result result = runShop(plainClassPath(), config, "read", url(db));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).contains(READ);
  }

  @Test
  void store_existingSchemaWithNarrowColumn_failsWithTheDdlToWidenIt(TestInfo test) throws Exception {
    Path db = database(test);
    try (Connection connection = DriverManager.getConnection(url(db), "sa", "");
        Statement statement = connection.createStatement()) {
      statement.execute("create sequence customer_seq start with 1 increment by 50");
      statement.execute("create table customer (id bigint primary key, name varchar(255), "
          + "email varchar(20), birthDate date, note varchar(255))");
    }

    ForkedJvm.Result result = runShop(plainClassPath(), config(test, CONFIG), "store", url(db), "none");

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output())
        .contains("column customer.email of Customer.email is character varying(20)")
        .contains("change it with: alter table if exists customer alter column email set data type varbinary(");
    assertThat(result.output()).doesNotContain("READ ");
  }

  @Test
  void store_strictModeAndAConfiguredClassThatNeverLoads_failsTheSessionFactory(TestInfo test) throws Exception {
    Path config = config(test, CONFIG + "encrypt.typo = com.acme.shop.Custmer#email\nrowseal.agent.strict = true\n");

    ForkedJvm.Result result = runShop(plainClassPath(), config, "store", url(database(test)));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output())
        .contains("RS-6103 rowseal.agent.strict=true and fields configured in " + config)
        .contains("com.acme.shop.Custmer#email (" + config + ":4): class com.acme.shop.Custmer was never loaded")
        .doesNotContain("READ ");
  }

  @Test
  void store_settingSetDifferentlyByTheApplication_failsNamingTheKey(TestInfo test) throws Exception {
    Path config = config(test, CONFIG + "rowseal.agent-it.probe = from-agent\n");

    ForkedJvm.Result result = ForkedJvm.run(
        List.of("-Drowseal.agent-it.probe=from-application", ForkedJvm.javaagent(config)),
        plainClassPath(), SHOP, "store", url(database(test)));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output()).contains("RS-6207").contains("rowseal.agent-it.probe")
        .doesNotContain("from-agent", "from-application");
  }

  private static ForkedJvm.Result runShop(String classPath, Path config, String... args) {
    return ForkedJvm.run(List.of(ForkedJvm.javaagent(config)), classPath, SHOP, args);
  }

  /** Every column, as raw bytes through plain JDBC; and the database file itself, for plaintext. */
  private static void assertStoredEncrypted(Path db) throws SQLException, IOException {
    Map<String, byte[]> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    try (Connection connection = DriverManager.getConnection(url(db), "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("select * from customer")) {
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnName(i), rs.getBytes(i));
      }
    }
    assertThat(new String(row.get("name"), StandardCharsets.UTF_8)).isEqualTo("Alice Example");
    assertThat(new String(row.get("note"), StandardCharsets.UTF_8)).isEqualTo("prefers email");
    String birthColumn = row.containsKey("birthDate") ? "birthDate" : "birth_date";
    for (String column : List.of("email", birthColumn)) {
      assertThat(row.get(column)).as(column).isNotNull();
      assertThat(Bytes.indexOf(row.get(column), "alice")).as(column + " holds plaintext").isNegative();
      assertThat(Bytes.indexOf(row.get(column), "1990")).as(column + " holds plaintext").isNegative();
    }
    byte[] file = Files.readAllBytes(db.resolveSibling(db.getFileName() + ".mv.db"));
    assertThat(Bytes.indexOf(file, "Alice Example")).as("plaintext column in the file").isNotNegative();
    assertThat(Bytes.indexOf(file, "alice@example.com")).as("encrypted column's plaintext in the file").isNegative();
  }

  private static String plainClassPath() {
    return shopClassPath();
  }

  private static String shopClassPath() {
    return ForkedJvm.classPath(ForkedJvm.fixtureJar("shop.jar", "com/acme/shop"), ForkedJvm.libraries());
  }

  private static Path config(TestInfo test, String text) {
    return ForkedJvm.writeConfig(test.getTestMethod().orElseThrow().getName() + ".properties", text);
  }

  private static Path database(TestInfo test) throws IOException {
    Path dir = Files.createDirectories(ForkedJvm.work().resolve("db"));
    Path db = dir.resolve(test.getTestMethod().orElseThrow().getName());
    Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".mv.db"));
    return db;
  }

  private static String url(Path db) {
    return "jdbc:h2:file:" + db;
  }
}
