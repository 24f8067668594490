package io.rowseal.testing;

import io.rowseal.IntegrityException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import io.rowseal.kms.KeyMetadata;
import java.time.Duration;

/** A KMS that passes every request to another: failure-injecting test providers override what they break. */
public abstract class ForwardingCmkProvider implements CmkProvider {
  protected final CmkProvider delegate;

  protected ForwardingCmkProvider(CmkProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public KeyMetadata createKey(String description) {
    return delegate.createKey(description);
  }

  @Override
  public DataKey generateDataKey(String cmkId, EncryptionContext context) {
    return delegate.generateDataKey(cmkId, context);
  }

  @Override
  public byte[] wrap(String cmkId, KeyMaterial key, EncryptionContext context) {
    return delegate.wrap(cmkId, key, context);
  }

  @Override
  public KeyMaterial unwrap(String cmkId, byte[] wrapped, EncryptionContext context) throws IntegrityException {
    return delegate.unwrap(cmkId, wrapped, context);
  }

  @Override
  public KeyMetadata describe(String cmkId) {
    return delegate.describe(cmkId);
  }

  @Override
  public KeyMetadata scheduleDeletion(String cmkId, Duration waitingPeriod) {
    return delegate.scheduleDeletion(cmkId, waitingPeriod);
  }

  @Override
  public String backend() {
    return delegate.backend();
  }
}
