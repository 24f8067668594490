package io.rowseal.benchmarks.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one variant of the shop (benchmarks/app) as its own JVM: the command line, the environment
 * it adds, the PostgreSQL schema its tables live in, and whether its customers' four personal columns must
 * hold ciphertext.
 *
 * @param label the variant's name in reports
 * @param encrypted whether rowseal encrypts {@code Customer.email}, {@code phone}, {@code address},
 *     {@code iban} in this variant
 * @param schema the PostgreSQL schema of this variant's tables (the shop's and rowseal's)
 * @param freshSchema whether the schema is dropped before every launch (the in-memory KMS's keys die with
 *     the process, so the branch keys they wrapped must go too)
 * @param jvmOptions options before {@code -jar} ({@code -javaagent:…}, system properties)
 * @param jar the executable jar
 * @param appArguments Spring arguments after the jar ({@code --rowseal.kms=…})
 * @param environment variables added to the JVM's environment (passphrase, PIN, SoftHSM2 configuration)
 */
public record ShopLaunch(String label, boolean encrypted, String schema, boolean freshSchema,
    List<String> jvmOptions, Path jar, List<String> appArguments, Map<String, String> environment) {

  /** The full command for a JVM listening on {@code port}. */
  public List<String> command(int port) {
    List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command().orElse("java"));
    c.addAll(jvmOptions);
    c.add("-jar");
    c.add(jar.toString());
    c.add("--server.port=" + port);
    c.add("--spring.datasource.url=" + Shop.JDBC_URL + "?currentSchema=" + schema);
    c.addAll(appArguments);
    return c;
  }

  /** A copy with {@code options} added before the jar. */
  public ShopLaunch withJvmOptions(List<String> options) {
    List<String> o = new ArrayList<>(jvmOptions);
    o.addAll(options);
    return new ShopLaunch(label, encrypted, schema, freshSchema, o, jar, appArguments, environment);
  }

  /**
   * The same kind on another build of the sealed jar ({@code AppLoad --before-jar}): labelled "…, before", in a
   * schema and a keystore file of its own, so that the two builds never open each other's keys.
   */
  public ShopLaunch before(Path otherJar) {
    return new ShopLaunch(label + ", before", encrypted, schema + "_b", freshSchema, jvmOptions, otherJar,
        appArguments.stream().map(a -> a.replace("localkms.p12", "before-localkms.p12")).toList(), environment);
  }

  /** The variants and KMS backends, from the built jars and the run's working directory. */
  public static final class Factory {
    /** LocalKms's keystore passphrase, set the documented way: an environment variable rowseal is told of. */
    static final String PASSPHRASE_ENV = "APP_KMS_PASSPHRASE";
    static final String PASSPHRASE = "shop-benchmark-localkms-passphrase";
    private final Path plainJar;
    private final Path sealedJar;
    private final Path agentJar;
    private final Path work;
    private final String prefix;

    /** Variants whose schemas are named {@code app_…}. */
    public Factory(Path plainJar, Path sealedJar, Path agentJar, Path work) {
      this(plainJar, sealedJar, agentJar, work, "app");
    }

    /** Variants whose schemas are named {@code <prefix>_…} (a second run beside a first one). */
    public Factory(Path plainJar, Path sealedJar, Path agentJar, Path work, String prefix) {
      this.plainJar = plainJar;
      this.sealedJar = sealedJar;
      this.agentJar = agentJar;
      this.work = work;
      this.prefix = prefix;
    }

    /** The schemas of every launch this factory makes. */
    public List<String> schemas() {
      return List.of("plain", "lib", "agent", "lib_mem", "lib_mem_sdk", "lib_aws", "lib_p11").stream()
          .map(s -> prefix + "_" + s).toList();
    }

    /** Without rowseal: the plain jar, rowseal nowhere on the class path. */
    public ShopLaunch plain() {
      return new ShopLaunch("without rowseal", false, prefix + "_plain", false, List.of(), plainJar, List.of(), Map.of());
    }

    /** Library mode, the KMS a user gets by default: {@code rowseal.kms=local}, the embedded LocalKms. */
    public ShopLaunch library() {
      return new ShopLaunch("library mode", true, prefix + "_lib", false, List.of(), sealedJar,
          List.of("--rowseal.kms=local", "--rowseal.kms.local.keystore=" + work.resolve("library-localkms.p12"),
              "--rowseal.kms.local.passphrase-env=" + PASSPHRASE_ENV),
          Map.of(PASSPHRASE_ENV, PASSPHRASE));
    }

    /** Agent mode: the plain jar under {@code -javaagent}, its file naming the four fields, LocalKms as above. */
    public ShopLaunch agent() throws java.io.IOException {
      Path config = work.resolve("agent.properties");
      java.nio.file.Files.writeString(config, String.join("\n",
          "# the whole-application benchmark's agent configuration (docs/AGENT.md)",
          "encrypt.email   = io.rowseal.benchmarks.app.Customer#email",
          "encrypt.phone   = io.rowseal.benchmarks.app.Customer#phone",
          "encrypt.address = io.rowseal.benchmarks.app.Customer#address",
          "encrypt.iban    = io.rowseal.benchmarks.app.Customer#iban",
          "rowseal.kms = local",
          "rowseal.kms.local.keystore = " + work.resolve("agent-localkms.p12"),
          "rowseal.kms.local.passphrase-env = " + PASSPHRASE_ENV, ""));
      return new ShopLaunch("agent mode", true, prefix + "_agent", false,
          List.of("-javaagent:" + agentJar + "=config=" + config), plainJar, List.of(),
          Map.of(PASSPHRASE_ENV, PASSPHRASE));
    }

    /** Library mode on the in-memory KMS (keys die with the process: a fresh schema each launch). */
    public ShopLaunch libraryInMemory() {
      return new ShopLaunch("library, in-memory KMS", true, prefix + "_lib_mem", true, List.of(), sealedJar,
          List.of("--rowseal.kms=in-memory"), Map.of());
    }

    /**
     * Library mode on the in-memory KMS in {@link #sealedAwsJar()}: the in-memory kind with the AWS SDK's jars on
     * the class path, unused, so that the start-up measurement tells what those jars cost by themselves.
     */
    public ShopLaunch libraryInMemoryAwsSdk() {
      return new ShopLaunch("library, in-memory KMS, AWS SDK jars", true, prefix + "_lib_mem_sdk", true, List.of(),
          sealedAwsJar(), List.of("--rowseal.kms=in-memory"), Map.of());
    }

    /**
     * Library mode on AWS KMS's wire protocol, against {@code endpoint} (a {@link KmsEndpoint}), in
     * {@link #sealedAwsJar()}.
     */
    public ShopLaunch libraryAws(KmsEndpoint endpoint) {
      return new ShopLaunch("library, aws KMS (test endpoint)", true, prefix + "_lib_aws", false,
          List.of("-Daws.accessKeyId=benchmark", "-Daws.secretAccessKey=benchmark"), sealedAwsJar(),
          List.of("--rowseal.kms=aws", "--rowseal.kms.aws.endpoint=" + endpoint.url(),
              "--rowseal.kms.aws.region=us-east-1", "--rowseal.cmk-id=" + endpoint.key()),
          Map.of());
    }

    /** Library mode on a SoftHSM2 token (a {@link SoftHsmToken}). */
    public ShopLaunch libraryPkcs11(SoftHsmToken token) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("SOFTHSM2_CONF", token.conf().toString());
      env.put(SoftHsmToken.PIN_ENV, SoftHsmToken.PIN);
      return new ShopLaunch("library, pkcs11 KMS (SoftHSM2)", true, prefix + "_lib_p11", false, List.of(), sealedJar,
          List.of("--rowseal.kms=pkcs11", "--rowseal.kms.pkcs11.library=" + token.library(),
              "--rowseal.kms.pkcs11.slot=" + token.slot(), "--rowseal.kms.pkcs11.pin-env=" + SoftHsmToken.PIN_ENV),
          env);
    }

    /**
     * The sealed jar as a user of {@code rowseal.kms=local}, {@code in-memory} or {@code pkcs11} ships it: without
     * the AWS SDK, which rowseal-hibernate declares optional.
     */
    public Path sealedJar() {
      return sealedJar;
    }

    /**
     * The sealed jar with the AWS SDK's KMS client ({@code app-sealed-aws.jar} beside {@link #sealedJar()}), whose
     * directory's {@code kms-wire/} holds the test KMS endpoint's extra jars.
     */
    public Path sealedAwsJar() {
      String name = sealedJar.getFileName().toString();
      return sealedJar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-aws.jar");
    }
  }
}
