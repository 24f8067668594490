package io.rowseal.benchmarks.contenders;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.RowCipher;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.DynamoDbItemEncryptor;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DecryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DynamoDbItemEncryptorConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.EncryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.structuredencryption.model.CryptoAction;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.DBEAlgorithmSuiteId;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * The AWS Database Encryption SDK for DynamoDB's item encryptor, offline: a Raw AES keyring (no AWS
 * call), the partition key SIGN_ONLY and the three fields ENCRYPT_AND_SIGN. Like rowseal it makes a
 * fresh data key per item write; unlike rowseal it wraps it with the keyring per item and adds two
 * attributes to each item, {@code aws_dbe_head} (material description, wrapped keys, commitment) and
 * {@code aws_dbe_foot} (HMAC, and an ECDSA P-384 signature under the default suite).
 */
public final class DbEsdkItem implements RowCipher<Map<String, AttributeValue>> {
  public static final String PARTITION_KEY = "pk";
  private static final String HEAD = "aws_dbe_head";
  private static final String FOOT = "aws_dbe_foot";

  private final String name;
  private final DynamoDbItemEncryptor encryptor;
  private long nextKey;

  /**
   * @param ecdsa true for the SDK's default suite (AES-256-GCM, HKDF-SHA512, key commitment, ECDSA
   *     P-384 and HMAC-SHA384 signatures); false for the same suite without the ECDSA signature
   */
  public DbEsdkItem(boolean ecdsa) {
    this.name = ecdsa ? "DB-ESDK item (default suite, ECDSA P-384)" : "DB-ESDK item (no ECDSA)";
    byte[] wrappingKey = new byte[32];
    new SecureRandom().nextBytes(wrappingKey);
    MaterialProviders mpl = MaterialProviders.builder()
        .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
        .build();
    IKeyring keyring = mpl.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
        .keyNamespace("rowseal-benchmarks")
        .keyName("raw-aes")
        .wrappingKey(ByteBuffer.wrap(wrappingKey))
        .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
        .build());
    Map<String, CryptoAction> actions = new HashMap<>();
    actions.put(PARTITION_KEY, CryptoAction.SIGN_ONLY);
    for (String attribute : Row.ATTRIBUTES) {
      actions.put(attribute, CryptoAction.ENCRYPT_AND_SIGN);
    }
    DynamoDbItemEncryptorConfig config = DynamoDbItemEncryptorConfig.builder()
        .logicalTableName("customers")
        .partitionKeyName(PARTITION_KEY)
        .attributeActionsOnEncrypt(actions)
        .keyring(keyring)
        .algorithmSuiteId(ecdsa
            ? DBEAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384_SYMSIG_HMAC_SHA384
            : DBEAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_SYMSIG_HMAC_SHA384)
        .build();
    this.encryptor = DynamoDbItemEncryptor.builder().DynamoDbItemEncryptorConfig(config).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, AttributeValue> encrypt(Row row) {
    Map<String, AttributeValue> item = new HashMap<>(8);
    item.put(PARTITION_KEY, AttributeValue.fromN(Long.toString(nextKey++)));
    for (int i = 0; i < 3; i++) {
      item.put(Row.ATTRIBUTES[i], AttributeValue.fromS(row.field(i)));
    }
    return encryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(item).build()).encryptedItem();
  }

  @Override
  public Row decrypt(Map<String, AttributeValue> stored) {
    Map<String, AttributeValue> item = encryptor.DecryptItem(
        DecryptItemInput.builder().encryptedItem(stored).build()).plaintextItem();
    return new Row(item.get(Row.CODE).s(), item.get(Row.EMAIL).s(), item.get(Row.ADDRESS).s());
  }

  /** The three encrypted attributes' binary values plus the header and footer attributes' values. */
  @Override
  public int storedBytes(Map<String, AttributeValue> stored) {
    int n = 0;
    for (String attribute : Row.ATTRIBUTES) {
      n += bytes(stored.get(attribute));
    }
    return n + bytes(stored.get(HEAD)) + bytes(stored.get(FOOT));
  }

  /** Bytes of the header and footer attributes alone. */
  public int headerAndFooterBytes(Map<String, AttributeValue> stored) {
    return bytes(stored.get(HEAD)) + bytes(stored.get(FOOT));
  }

  private static int bytes(AttributeValue v) {
    SdkBytes b = v.b();
    if (b == null) {
      throw new IllegalStateException("expected a binary attribute, got " + v.type());
    }
    return b.asByteArrayUnsafe().length;
  }
}
