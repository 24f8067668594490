package io.rowseal.benchmarks.micro;

import io.rowseal.benchmarks.RowCipher;
import io.rowseal.benchmarks.contenders.DbEsdkItem;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Encrypt-row and decrypt-row (three fields: 16, 32, 64 bytes) for the DB-ESDK item encryptor with the suite that signs by HMAC only. */
public class DbEsdkNoEcdsaBenchmark extends ContenderBenchmark<Map<String, AttributeValue>> {
  @Override
  protected RowCipher<Map<String, AttributeValue>> contender() throws Exception {
    return new DbEsdkItem(false);
  }

  @Override
  protected int poolSize() {
    return Pool.SLOW;
  }
}
