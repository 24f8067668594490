package io.rowseal.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.kms.aws.KmsWireEndpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rowseal.kms=aws} from the agent's configuration file: the unmodified fixture application, with the
 * AWS SDK on its class path as a user adds it, stores and reads its customer under branch keys that AWS KMS
 * wraps; KMS is rowseal-hibernate's test endpoint ({@link KmsWireEndpoint}, over LocalKms) in this JVM,
 * reached by the real SDK over HTTP.
 */
class AwsKmsIT {
  private static final String SHOP = "com.acme.shop.ShopApp";
  private static final String READ = "READ name=Alice Example email=alice@example.com birthDate=1990-05-17 "
      + "note=prefers email";
  private static final List<String> CREDENTIALS = List.of("-Daws.accessKeyId=AKIDAGENT", "-Daws.secretAccessKey=secret");

  private JdbcDataSource kmsTables;
  private Connection keepKmsTables;
  private KmsWireEndpoint kms;

  @BeforeEach
  void start() throws Exception {
    assertThat(AgentJar.carriesHibernateIntegration()).as("the agent jar carries the rowseal Hibernate integration")
        .isTrue();
    kmsTables = new JdbcDataSource();
    kmsTables.setURL("jdbc:h2:mem:aws-kms-it");
    keepKmsTables = kmsTables.getConnection(); // the in-memory database lives while a connection does
    kms = KmsWireEndpoint.overLocalKms(kmsTables, null, 0);
  }

  @AfterEach
  void stop() throws Exception {
    kms.close();
    keepKmsTables.close();
  }

  @Test
  void storeThenRead_kmsAwsInTheAgentConfig_branchKeyMadeAndUnwrappedThroughKms() throws Exception {
    String key = kms.createKey();
    Path config = ForkedJvm.writeConfig("aws-kms.properties", """
        encrypt.email = com.acme.shop.Customer#email
        encrypt.email.context = Customer.email
        encrypt.birth = com.acme.shop.Customer#birthDate
        rowseal.kms = aws
        rowseal.cmk-id = %s
        rowseal.kms.aws.region = us-east-1
        rowseal.kms.aws.endpoint = %s
        """.formatted(key, kms.uri()));
    Path db = database();

    ForkedJvm.Result store = run(config, "store", url(db));

    assertThat(store.exitCode()).as(store.toString()).isZero();
    assertThat(store.output()).contains(READ);
    assertThat(kms.requests("GenerateDataKey")).as("the first branch-key version, made by KMS").isEqualTo(1);
    assertThat(kms.requests()).allSatisfy(r -> assertThat(r.header("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDAGENT/"));
    try (Connection c = DriverManager.getConnection(url(db), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select email from customer")) {
      assertThat(rs.next()).isTrue();
      assertThat(Bytes.indexOf(rs.getBytes(1), "alice")).as("email holds plaintext").isNegative();
    }

    // a new process has no branch key cached: it asks KMS to unwrap it
    ForkedJvm.Result read = run(config, "read", url(db));

    assertThat(read.exitCode()).as(read.toString()).isZero();
    assertThat(read.output()).contains(READ);
    assertThat(kms.requests("Decrypt")).as("the branch key unwrapped by the second process").isEqualTo(1);
    assertThat(kms.requests("GenerateDataKey")).isEqualTo(1);
  }

  @Test
  void store_kmsAwsWithoutTheSdkOnTheApplicationsClassPath_failsWithRs2020NamingTheDependency() throws Exception {
    Path config = ForkedJvm.writeConfig("aws-kms-no-sdk.properties", """
        encrypt.email = com.acme.shop.Customer#email
        rowseal.kms = aws
        rowseal.cmk-id = %s
        rowseal.kms.aws.region = us-east-1
        rowseal.kms.aws.endpoint = %s
        """.formatted(kms.createKey(), kms.uri()));

    ForkedJvm.Result result = ForkedJvm.run(with(CREDENTIALS, ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(ForkedJvm.fixtureJar("shop.jar", "com/acme/shop"), ForkedJvm.libraries()), SHOP,
        "store", url(database()));

    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.output()).contains("RS-2020").contains("software.amazon.awssdk:kms").doesNotContain("READ ");
    assertThat(kms.requests()).isEmpty();
  }

  private static ForkedJvm.Result run(Path config, String... args) {
    List<String> classPath = new ArrayList<>(ForkedJvm.libraries());
    classPath.addAll(awsSdk());
    return ForkedJvm.run(with(CREDENTIALS, ForkedJvm.javaagent(config)),
        ForkedJvm.classPath(ForkedJvm.fixtureJar("shop.jar", "com/acme/shop"), classPath), SHOP, args);
  }

  /** The AWS SDK's jars (software.amazon.awssdk:kms and its dependencies): see the pom. */
  private static List<String> awsSdk() {
    try {
      String text = Files.readString(Path.of(System.getProperty("rowseal.it.aws-sdk-classpath"))).strip();
      List<String> jars = List.of(text.split(File.pathSeparator));
      assertThat(jars).anyMatch(j -> j.contains("kms-")).anyMatch(j -> j.contains("sdk-core-"));
      return jars;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> with(List<String> first, String last) {
    List<String> all = new ArrayList<>(first);
    all.add(last);
    return all;
  }

  private static Path database() throws IOException {
    Path db = Files.createDirectories(ForkedJvm.work().resolve("db")).resolve("aws-kms-" + System.nanoTime());
    return db;
  }

  private static String url(Path db) {
    return "jdbc:h2:file:" + db;
  }
}
