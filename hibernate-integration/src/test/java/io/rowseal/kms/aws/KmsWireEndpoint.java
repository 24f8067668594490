package io.rowseal.kms.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KmsException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An in-process HTTP endpoint speaking the AWS KMS JSON 1.1 protocol ({@code TrentService.GenerateDataKey},
 * {@code Encrypt}, {@code Decrypt}, {@code DescribeKey}), backed by rowseal's {@link InMemoryCmkProvider}.
 * It records every request (target, headers, JSON body) and can be told to answer the next requests
 * with an error. A blob is {@code [key-id length][key id][InMemoryCmkProvider blob]}, so that, as in
 * KMS, a blob names its key. Tests only: not a KMS.
 */
public final class KmsWireEndpoint implements AutoCloseable {
  static final String ACCOUNT_ARN = "arn:aws:kms:us-east-1:111122223333:key/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the SDK sent it. */
  public record Request(String target, Map<String, List<String>> headers, JsonNode body) {
    public String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  private record Failure(int status, String type) {}

  final InMemoryCmkProvider backend = new InMemoryCmkProvider();
  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private Failure always;
  /** When set, Decrypt ignores the KeyId of the request and answers for the key the blob names. */
  final AtomicBoolean ignoreRequestKeyId = new AtomicBoolean();

  public KmsWireEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A new enabled key, as its ARN. */
  public String createKey() {
    return ACCOUNT_ARN + backend.createKey("wire test").cmkId();
  }

  /** The real SDK client pointed here: dummy static credentials, us-east-1, retries without waiting. */
  KmsClient client(int sdkMaxAttempts) {
    return KmsClient.builder()
        .endpointOverride(uri())
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
        DataKey dk = backend.generateDataKey(id, context(body));
        byte[] plaintext = dk.plaintext().copyBytes();
        out.put("KeyId", ACCOUNT_ARN + id).put("CiphertextBlob", blob(id, dk.wrapped()))
            .put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
      }
      case "Encrypt" -> {
        String id = keyId(body.path("KeyId").asText());
        byte[] wrapped = backend.wrap(id, KeyMaterial.copyOf(Base64.getDecoder().decode(body.path("Plaintext").asText())),
            context(body));
        out.put("KeyId", ACCOUNT_ARN + id).put("CiphertextBlob", blob(id, wrapped))
            .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      }
      case "Decrypt" -> {
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(body.path("CiphertextBlob").asText()));
        if (blob.remaining() < 2) {
          throw new WireError("InvalidCiphertextException");
        }
        byte[] idBytes = new byte[blob.getShort()];
        blob.get(idBytes);
        String named = new String(idBytes, StandardCharsets.UTF_8);
        if (body.hasNonNull("KeyId") && !ignoreRequestKeyId.get() && !keyId(body.get("KeyId").asText()).equals(named)) {
          throw new WireError("IncorrectKeyException");
        }
        byte[] inner = new byte[blob.remaining()];
        blob.get(inner);
        KeyMaterial key = backend.unwrap(named, inner, context(body));
        out.put("KeyId", ACCOUNT_ARN + named).put("Plaintext", Base64.getEncoder().encodeToString(key.copyBytes()))
            .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      }
      case "DescribeKey" -> {
        String id = keyId(body.path("KeyId").asText());
        KeyMetadata m = backend.describe(id);
        out.putObject("KeyMetadata").put("KeyId", id).put("Arn", ACCOUNT_ARN + id)
            .put("Description", m.description()).put("Enabled", true).put("KeyState", "Enabled")
            .put("KeyUsage", "ENCRYPT_DECRYPT").put("KeySpec", "SYMMETRIC_DEFAULT")
            .put("CreationDate", m.createdAt().getEpochSecond());
      }
      default -> throw new WireError("UnknownOperationException");
    }
    return out;
  }

  private static String keyId(String arnOrId) {
    return arnOrId.startsWith(ACCOUNT_ARN) ? arnOrId.substring(ACCOUNT_ARN.length()) : arnOrId;
  }

  private static String blob(String id, byte[] wrapped) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(2 + idBytes.length + wrapped.length)
        .putShort((short) idBytes.length).put(idBytes).put(wrapped).array());
  }

  private static EncryptionContext context(JsonNode body) {
    Map<String, String> map = new HashMap<>();
    body.path("EncryptionContext").fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
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
  }
}
