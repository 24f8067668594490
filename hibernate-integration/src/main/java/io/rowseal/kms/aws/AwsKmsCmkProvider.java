package io.rowseal.kms.aws;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import io.rowseal.kms.KeyState;
import io.rowseal.kms.KmsException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * A {@link CmkProvider} on AWS KMS (AWS SDK for Java v2): branch keys are made by
 * {@code GenerateDataKey} (AES_256), wrapped by {@code Encrypt} and unwrapped by {@code Decrypt}, each
 * with rowseal's {@link EncryptionContext} as the KMS encryption context. The blob stored is KMS's
 * {@code CiphertextBlob} as is.
 *
 * <p>The keys it may use are pinned by configuration ({@code rowseal.cmk-id}, and
 * {@code rowseal.previous-cmk-ids} for keys that wrapped older branch-key versions): a call naming any
 * other key is refused ({@code RS-2022}). {@code Decrypt} always names the pinned key, so KMS itself
 * refuses a blob of another key ({@code IncorrectKeyException}); a response naming another key than the
 * pinned one is refused too. Both are {@link IntegrityException}s.
 *
 * <p>Keys are created, rotated and deleted in AWS, not by rowseal: {@link #createKey} and
 * {@link #scheduleDeletion} fail with {@code RS-2021}. Errors map to rowseal's codes and name the key id
 * and the operation, never a blob: throttling after the SDK's own retries is
 * {@link KmsException.Throttled} (rowseal's {@code Retrying} then retries with backoff), 5xx and network
 * failures are {@link KmsException.Unavailable}, {@code NotFoundException} is
 * {@link KmsException.KeyNotFound}, a disabled key or one in another state is
 * {@link KmsException.InvalidKeyState}, any other refusal (access denied, validation) is {@code RS-2024}.
 *
 * <p>No AWS type appears outside this package. Thread-safe.
 */
public final class AwsKmsCmkProvider implements CmkProvider, AutoCloseable {
  /** Settings prefix of this provider. */
  public static final String PREFIX = "rowseal.kms.aws.";
  /** AWS region, e.g. {@code eu-west-1}; default: the SDK's default region chain. */
  public static final String REGION = PREFIX + "region";
  /** Endpoint URL replacing the region's (tests, VPC endpoints); default: the SDK's own. */
  public static final String ENDPOINT = PREFIX + "endpoint";
  static final String CMK_ID = "rowseal.cmk-id";
  static final String PREVIOUS_CMK_IDS = "rowseal.previous-cmk-ids";
  private static final Set<String> KNOWN = Set.of(REGION, ENDPOINT);

  private final KmsClient client;
  private final boolean ownsClient;
  private final Set<String> pinned;
  /** Pinned id (key id, ARN or alias) → the key's ARN, as KMS reports it. */
  private final Map<String, String> arns = new ConcurrentHashMap<>();

  AwsKmsCmkProvider(KmsClient client, boolean ownsClient, Set<String> pinned) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    if (pinned.isEmpty()) {
      throw settings("no AWS KMS key is configured: set " + CMK_ID + " to the key's ARN");
    }
    this.pinned = Collections.unmodifiableSet(new LinkedHashSet<>(pinned));
    for (String id : this.pinned) {
      if (id.startsWith("arn:") && id.contains(":key/")) {
        arns.put(id, id);
      }
    }
  }

  /**
   * The provider {@code rowseal.kms=aws} configures: the key from {@code rowseal.cmk-id} (required) and
   * {@code rowseal.previous-cmk-ids}, region and endpoint from {@code rowseal.kms.aws.*} or else the SDK's
   * default chains; credentials always from the SDK's default chain.
   */
  public static AwsKmsCmkProvider fromSettings(Map<String, ?> settings) {
    for (String key : settings.keySet()) {
      if (key.startsWith(PREFIX) && !KNOWN.contains(key)) {
        throw settings("unknown setting '" + key + "'; known: " + new java.util.TreeSet<>(KNOWN));
      }
    }
    Set<String> pinned = new LinkedHashSet<>();
    String cmkId = text(settings, CMK_ID);
    if (cmkId == null) {
      throw settings(CMK_ID + " is required with rowseal.kms=aws: the ARN of the KMS key (keys are created in AWS)");
    }
    pinned.add(cmkId);
    String previous = text(settings, PREVIOUS_CMK_IDS);
    if (previous != null) {
      Arrays.stream(previous.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(pinned::add);
    }
    KmsClientBuilder builder = KmsClient.builder();
    String region = text(settings, REGION);
    if (region != null) {
      builder.region(Region.of(region));
    }
    String endpoint = text(settings, ENDPOINT);
    if (endpoint != null) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw settings(ENDPOINT + " is not a URL: '" + endpoint + "'");
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw settings(ENDPOINT + " must be an absolute http(s) URL, was '" + endpoint + "'");
      }
      builder.endpointOverride(uri);
    }
    KmsClient client;
    try {
      client = builder.build();
    } catch (SdkException e) {
      // no region in the settings nor in the SDK's chain, typically
      throw settings("cannot build the AWS KMS client: " + e.getMessage());
    }
    return new AwsKmsCmkProvider(client, true, pinned);
  }

  private static String text(Map<String, ?> settings, String key) {
    Object v = settings.get(key);
    return v == null || v.toString().isBlank() ? null : v.toString().trim();
  }

  /** The key ids this provider may use, as configured. */
  public Set<String> pinnedKeyIds() {
    return pinned;
  }

  @Override
  public KeyMetadata createKey(String description) {
    throw new KmsException("RS-2021", "AWS KMS keys are created in AWS, not by rowseal: create one (aws kms "
        + "create-key) and set " + CMK_ID + " to its ARN");
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    throw new KmsException("RS-2021", "rowseal does not delete AWS KMS key '" + cmkId + "': schedule its deletion "
        + "in AWS (aws kms schedule-key-deletion) once nothing wrapped under it is needed");
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    String keyId = pinned(cmkId, "GenerateDataKey");
    GenerateDataKeyResponse r = call(cmkId, "GenerateDataKey", () -> client.generateDataKey(b -> b
        .keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context.asMap())));
    learnArn(cmkId, r.keyId());
    byte[] plaintext = r.plaintext().asByteArrayUnsafe();
    try {
      return new DataKey(KeyMaterial.copyOf(plaintext), r.ciphertextBlob().asByteArrayUnsafe());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    String keyId = pinned(cmkId, "Encrypt");
    byte[] bytes = key.copyBytes();
    try {
      var r = call(cmkId, "Encrypt", () -> client.encrypt(b -> b
          .keyId(keyId).plaintext(SdkBytes.fromByteArrayUnsafe(bytes)).encryptionContext(context.asMap())));
      learnArn(cmkId, r.keyId());
      return r.ciphertextBlob().asByteArray();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    String keyId = pinned(cmkId, "Decrypt");
    String expectedArn = arnOf(cmkId);
    DecryptResponse r;
    try {
      r = client.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
          .encryptionContext(context.asMap()));
    } catch (AwsServiceException e) {
      String code = errorCode(e);
      if (code.equals("InvalidCiphertextException") || code.equals("IncorrectKeyException")) {
        throw new IntegrityException("wrapped key under AWS KMS key '" + cmkId + "' does not verify (Decrypt: "
            + code + ")");
      }
      throw map(e, cmkId, "Decrypt");
    } catch (SdkException e) {
      throw unavailable(e, cmkId, "Decrypt");
    }
    if (!expectedArn.equals(r.keyId())) {
      throw new IntegrityException("AWS KMS Decrypt of a key wrapped under '" + cmkId + "' answered for another key '"
          + r.keyId() + "'");
    }
    byte[] plaintext = r.plaintext().asByteArrayUnsafe();
    try {
      return KeyMaterial.copyOf(plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    String keyId = pinned(cmkId, "DescribeKey");
    var m = call(cmkId, "DescribeKey", () -> client.describeKey(b -> b.keyId(keyId))).keyMetadata();
    learnArn(cmkId, m.arn());
    return new KeyMetadata(cmkId, m.description() == null ? "" : m.description(), state(m.keyStateAsString()),
        m.creationDate(), m.deletionDate(), 1);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String backend() {
    return "aws";
  }

  @Override
  public String toString() {
    return "AwsKmsCmkProvider(keys=" + pinned + ")";
  }

  private String pinned(String cmkId, String operation) {
    if (cmkId == null || !pinned.contains(cmkId)) {
      throw new KmsException("RS-2022", "AWS KMS " + operation + " on key '" + cmkId + "' refused: the key is not "
          + "pinned by " + CMK_ID + " or " + PREVIOUS_CMK_IDS + " (pinned: " + pinned + ")");
    }
    return cmkId;
  }

  /** The pinned key's ARN, which every Decrypt answer must name; asked of KMS once per key. */
  private String arnOf(String cmkId) {
    String arn = arns.get(cmkId);
    if (arn == null) {
      arn = call(cmkId, "DescribeKey", () -> client.describeKey(b -> b.keyId(cmkId))).keyMetadata().arn();
      arns.put(cmkId, arn);
    }
    return arn;
  }

  private void learnArn(String cmkId, String arn) {
    if (arn != null) {
      arns.putIfAbsent(cmkId, arn);
    }
  }

  private static KeyState state(String awsState) {
    if (awsState == null) {
      return KeyState.DISABLED;
    }
    return switch (awsState) {
      case "Enabled" -> KeyState.ENABLED;
      case "PendingDeletion", "PendingReplicaDeletion" -> KeyState.PENDING_DELETION;
      // Disabled, PendingImport, Unavailable, Creating, Updating: no cryptographic operation for now
      default -> KeyState.DISABLED;
    };
  }

  private static <T> T call(String cmkId, String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (AwsServiceException e) {
      throw map(e, cmkId, operation);
    } catch (SdkException e) {
      throw unavailable(e, cmkId, operation);
    }
  }

  private static String errorCode(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null ? "" : code;
  }

  /** An AWS error as rowseal's code; the message names key and operation, and only KMS's error code. */
  static KmsException map(AwsServiceException e, String cmkId, String operation) {
    String code = errorCode(e);
    String what = "AWS KMS " + operation + " on key '" + cmkId + "' failed: " + code + " (HTTP " + e.statusCode()
        + (e.requestId() == null ? "" : ", request " + e.requestId()) + ")";
    if (e.isThrottlingException() || code.equals("ThrottlingException") || code.equals("LimitExceededException")
        || code.equals("TooManyRequestsException")) {
      return new KmsException.Throttled(what + " after the SDK's retries");
    }
    switch (code) {
      case "NotFoundException":
        return new KmsException.KeyNotFound(cmkId, "AWS KMS " + operation);
      case "DisabledException":
        return new KmsException.InvalidKeyState(cmkId, KeyState.DISABLED, "AWS KMS " + operation);
      case "KMSInvalidStateException":
      case "KeyUnavailableException":
        return new KmsException.InvalidKeyState(cmkId, KeyState.DISABLED, "AWS KMS " + operation + " (" + code + ")");
      case "DependencyTimeoutException":
      case "KMSInternalException":
        return new KmsException.Unavailable(what, e);
      default:
        break;
    }
    if (e.statusCode() >= 500) {
      return new KmsException.Unavailable(what + " after the SDK's retries", e);
    }
    return new KmsException("RS-2024", what, e);
  }

  private static KmsException unavailable(SdkException e, String cmkId, String operation) {
    return new KmsException.Unavailable("AWS KMS " + operation + " on key '" + cmkId + "' could not be reached: "
        + e.getClass().getSimpleName(), e);
  }

  private static KmsException settings(String message) {
    return new KmsException("RS-2023", message);
  }
}
