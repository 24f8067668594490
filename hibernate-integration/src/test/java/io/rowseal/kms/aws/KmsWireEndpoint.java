package io.rowseal.kms.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.local.LocalKms;
import io.rowseal.kms.local.LocalKmsBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An HTTP endpoint speaking the AWS KMS JSON 1.1 protocol ({@code TrentService.GenerateDataKey},
 * {@code Encrypt}, {@code Decrypt}, {@code ReEncrypt}, {@code DescribeKey}), backed by a rowseal
 * {@link CmkProvider}: {@link InMemoryCmkProvider} by default, {@link LocalKms} with {@link #overLocalKms}
 * (and as its own process, {@link KmsWireServer}). It records every request (target, headers, JSON body)
 * and can be told to answer the next requests with an error. A blob is
 * {@code [key-id length][key id][backend blob]}, so that, as in KMS, a blob names its key. A development
 * and test fixture, not a KMS: it checks no signature and serves anyone who reaches its port.
 */
public final class KmsWireEndpoint implements AutoCloseable {
  static final String ACCOUNT_ARN = "arn:aws:kms:us-east-1:111122223333:key/";
  /** The LocalKms keystore passphrase of this fixture: a published one, never for real keys. */
  static final String PASSPHRASE = "kms-wire-endpoint-fixture-only";
  /** The table prefix of the LocalKms behind {@link #overLocalKms}. */
  public static final String TABLE_PREFIX = "rowseal_wire_kms_";

  static {
    // The JDK's HTTP server writes an answer's headers and body in two writes; without TCP_NODELAY, Nagle's
    // algorithm holds the body until the client's delayed ACK (40 ms on Linux), so every request took
    // ≈ 45 ms instead of a few. Read once, when the server's configuration class loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the SDK sent it. */
  public record Request(String target, Map<String, List<String>> headers, JsonNode body) {
    public String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  private record Failure(int status, String type) {}

  final CmkProvider backend;
  private final AutoCloseable owned;
  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private Failure always;
  /** When set, Decrypt ignores the KeyId of the request and answers for the key the blob names. */
  final AtomicBoolean ignoreRequestKeyId = new AtomicBoolean();
  private final AtomicBoolean printRequests = new AtomicBoolean();

  /** On a fresh {@link InMemoryCmkProvider}, on a free loopback port. */
  public KmsWireEndpoint() throws IOException {
    this(new InMemoryCmkProvider(), null, 0);
  }

  /**
   * On {@code backend}, on loopback {@code port} (0: a free one); {@code owned} (may be null) is closed
   * with the endpoint.
   */
  public KmsWireEndpoint(CmkProvider backend, AutoCloseable owned, int port) throws IOException {
    this.backend = backend;
    this.owned = owned;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "kms-wire-endpoint");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * On a {@link LocalKms} keeping its tables (prefix {@value #TABLE_PREFIX}) in {@code dataSource} and its HSM
   * keys in {@code keystore} (null: in memory, the keys live as long as this endpoint), on loopback
   * {@code port} (0: a free one). Closing the endpoint closes the LocalKms, not the data source.
   */
  public static KmsWireEndpoint overLocalKms(DataSource dataSource, Path keystore, int port) throws IOException {
    LocalKmsBuilder builder = LocalKms.builder().dataSource(dataSource).tablePrefix(TABLE_PREFIX)
        .passphrase(PASSPHRASE.toCharArray());
    if (keystore != null) {
      builder.keystore(keystore);
    } else {
      try {
        KeyStore inMemory = KeyStore.getInstance("PKCS12");
        inMemory.load(null, null);
        builder.keystore(inMemory);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    LocalKms kms = builder.build();
    try {
      return new KmsWireEndpoint(kms, kms, port);
    } catch (IOException | RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The provider behind the endpoint. */
  public CmkProvider backend() {
    return backend;
  }

  /** A new enabled key, as its ARN. */
  public String createKey() {
    return ACCOUNT_ARN + backend.createKey("wire test").cmkId();
  }

  /** The real SDK client pointed here: dummy static credentials, us-east-1, retries without waiting. */
  KmsClient client(int sdkMaxAttempts) {
    return client(uri(), sdkMaxAttempts);
  }

  /** The real SDK client pointed at the endpoint at {@code uri}, as {@link #client(int)}. */
  static KmsClient client(URI uri, int sdkMaxAttempts) {
    return KmsClient.builder()
        .endpointOverride(uri)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(sdkMaxAttempts)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
            .circuitBreakerEnabled(false)
            .build()))
        .build();
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many requests named {@code operation} (e.g. {@code Decrypt}) reached this endpoint. */
  public synchronized long requests(String operation) {
    return requests.stream().filter(r -> ("TrentService." + operation).equals(r.target())).count();
  }

  /** From now on, prints the target of each request on standard output (for {@link KmsWireServer}). */
  void printRequests() {
    printRequests.set(true);
  }

  synchronized void clearRequests() {
    requests.clear();
  }

  /** The next {@code times} requests answer HTTP {@code status} with JSON {@code __type} {@code type}. */
  synchronized void failNext(int times, int status, String type) {
    for (int i = 0; i < times; i++) {
      failures.add(new Failure(status, type));
    }
  }

  /** Every request answers so until {@link #heal}. */
  synchronized void failAlways(int status, String type) {
    always = new Failure(status, type);
  }

  synchronized void heal() {
    always = null;
    failures.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] in = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(in.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : in);
      Failure failure;
      synchronized (this) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
        requests.add(new Request(target, headers, body));
        failure = always != null ? always : failures.poll();
      }
      if (printRequests.get()) {
        System.out.println("request " + target);
      }
      if (failure != null) {
        respond(exchange, failure.status, error(failure.type));
        return;
      }
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      try {
        respond(exchange, 200, answer(operation, body));
      } catch (KmsException.KeyNotFound e) {
        respond(exchange, 400, error("NotFoundException"));
      } catch (KmsException.InvalidKeyState e) {
        respond(exchange, 400, error("DisabledException"));
      } catch (KmsException.Throttled e) {
        respond(exchange, 400, error("ThrottlingException"));
      } catch (KmsException | IllegalArgumentException e) {
        respond(exchange, 500, error("KMSInternalException"));
      } catch (IntegrityException e) {
        respond(exchange, 400, error("InvalidCiphertextException"));
      } catch (WireError e) {
        respond(exchange, 400, error(e.getMessage()));
      }
    }
  }

  private static final class WireError extends Exception {
    private static final long serialVersionUID = 1L;

    WireError(String type) {
      super(type);
    }
  }

  private ObjectNode answer(String operation, JsonNode body) throws IntegrityException, WireError {
    ObjectNode out = JSON.createObjectNode();
    switch (operation) {
      case "GenerateDataKey" -> {
        if (!"AES_256".equals(body.path("KeySpec").asText())) {
          throw new WireError("ValidationException");
        }
        String id = keyId(body.path("KeyId").asText());
        DataKey dk = backend.generateDataKey(id, context(body.path("EncryptionContext")));
        byte[] plaintext = dk.plaintext().copyBytes();
        out.put("KeyId", ACCOUNT_ARN + id).put("CiphertextBlob", blob(id, dk.wrapped()))
            .put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
      }
      case "Encrypt" -> {
        String id = keyId(body.path("KeyId").asText());
        byte[] wrapped = backend.wrap(id, KeyMaterial.copyOf(Base64.getDecoder().decode(body.path("Plaintext").asText())),
            context(body.path("EncryptionContext")));
        out.put("KeyId", ACCOUNT_ARN + id).put("CiphertextBlob", blob(id, wrapped))
            .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      }
      case "Decrypt" -> {
        Blob blob = Blob.parse(body.path("CiphertextBlob").asText());
        if (body.hasNonNull("KeyId") && !ignoreRequestKeyId.get() && !keyId(body.get("KeyId").asText()).equals(blob.keyId)) {
          throw new WireError("IncorrectKeyException");
        }
        KeyMaterial key = backend.unwrap(blob.keyId, blob.inner, context(body.path("EncryptionContext")));
        out.put("KeyId", ACCOUNT_ARN + blob.keyId).put("Plaintext", Base64.getEncoder().encodeToString(key.copyBytes()))
            .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      }
      case "ReEncrypt" -> {
        // Decrypt under the source key and context, encrypt under the destination's; the key never leaves.
        Blob blob = Blob.parse(body.path("CiphertextBlob").asText());
        if (body.hasNonNull("SourceKeyId") && !keyId(body.get("SourceKeyId").asText()).equals(blob.keyId)) {
          throw new WireError("IncorrectKeyException");
        }
        if (!body.hasNonNull("DestinationKeyId")) {
          throw new WireError("ValidationException");
        }
        String destination = keyId(body.get("DestinationKeyId").asText());
        KeyMaterial key = backend.unwrap(blob.keyId, blob.inner, context(body.path("SourceEncryptionContext")));
        byte[] wrapped = backend.wrap(destination, key, context(body.path("DestinationEncryptionContext")));
        out.put("CiphertextBlob", blob(destination, wrapped)).put("SourceKeyId", ACCOUNT_ARN + blob.keyId)
            .put("KeyId", ACCOUNT_ARN + destination).put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
            .put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      }
      case "DescribeKey" -> {
        String id = keyId(body.path("KeyId").asText());
        KeyMetadata m = backend.describe(id);
        String state = switch (m.state()) {
          case ENABLED -> "Enabled";
          case DISABLED -> "Disabled";
          case PENDING_DELETION, DESTROYED -> "PendingDeletion";
        };
        out.putObject("KeyMetadata").put("KeyId", id).put("Arn", ACCOUNT_ARN + id)
            .put("Description", m.description()).put("Enabled", m.state() == KeyState.ENABLED).put("KeyState", state)
            .put("KeyUsage", "ENCRYPT_DECRYPT").put("KeySpec", "SYMMETRIC_DEFAULT")
            .put("CreationDate", m.createdAt().getEpochSecond());
      }
      default -> throw new WireError("UnknownOperationException");
    }
    return out;
  }

  /** A blob as this endpoint makes it: the key id it names, and the backend's blob. */
  private record Blob(String keyId, byte[] inner) {
    static Blob parse(String base64) throws WireError {
      ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
      if (blob.remaining() < 2 || blob.getShort(0) < 0 || blob.getShort(0) > blob.remaining() - 2) {
        throw new WireError("InvalidCiphertextException");
      }
      byte[] idBytes = new byte[blob.getShort()];
      blob.get(idBytes);
      byte[] inner = new byte[blob.remaining()];
      blob.get(inner);
      return new Blob(new String(idBytes, StandardCharsets.UTF_8), inner);
    }
  }

  private static String keyId(String arnOrId) {
    return arnOrId.startsWith(ACCOUNT_ARN) ? arnOrId.substring(ACCOUNT_ARN.length()) : arnOrId;
  }

  private static String blob(String id, byte[] wrapped) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(2 + idBytes.length + wrapped.length)
        .putShort((short) idBytes.length).put(idBytes).put(wrapped).array());
  }

  private static EncryptionContext context(JsonNode context) {
    Map<String, String> map = new HashMap<>();
    context.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return EncryptionContext.of(map);
  }

  private static ObjectNode error(String type) {
    return JSON.createObjectNode().put("__type", type).put("message", "wire test: " + type);
  }

  private static void respond(HttpExchange exchange, int status, ObjectNode json) throws IOException {
    byte[] out = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().add("x-amzn-RequestId", "wire-" + System.nanoTime());
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
