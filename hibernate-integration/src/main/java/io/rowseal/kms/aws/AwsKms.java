package io.rowseal.kms.aws;

import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.KmsException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Entry point of {@code rowseal.kms=aws} that names no AWS type, so that callers (the Hibernate
 * integration, the agent) can offer it while the AWS SDK stays an optional dependency: without the SDK
 * on the class path it fails with {@code RS-2020} naming the dependency to add.
 */
public final class AwsKms {
  /** The Maven coordinates a user adds for {@code rowseal.kms=aws}. */
  public static final String DEPENDENCY = "software.amazon.awssdk:kms (2.x; tested with 2.57.8)";
  private static final String SDK_CLASS = "software.amazon.awssdk.services.kms.KmsClient";

  private AwsKms() {}

  /**
   * The {@code rowseal.kms.aws.*} settings {@code rowseal.kms=aws} reads (besides {@code rowseal.cmk-id} and
   * {@code rowseal.previous-cmk-ids}); compile-time constants, so asking loads no AWS type.
   */
  public static java.util.Set<String> settingNames() {
    return java.util.Set.of(AwsKmsCmkProvider.REGION, AwsKmsCmkProvider.ENDPOINT);
  }

  /** {@link AwsKmsCmkProvider#fromSettings}, after checking that the SDK is there. */
  public static CmkProvider fromSettings(Map<String, ?> settings, ClassLoader loader) {
    try {
      Class.forName(SDK_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new KmsException("RS-2020", "rowseal.kms=aws needs the AWS SDK for Java v2 on the class path: add the "
          + "dependency " + DEPENDENCY + " (rowseal declares it optional)");
    }
    try {
      Class<?> type = Class.forName(AwsKms.class.getPackageName() + ".AwsKmsCmkProvider", true, loader);
      return (CmkProvider) type.getMethod("fromSettings", Map.class).invoke(null, settings);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new KmsException("RS-2020", "cannot start the AWS KMS provider: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new KmsException("RS-2020", "cannot start the AWS KMS provider (is " + DEPENDENCY
          + " complete on the class path?): " + e, e);
    }
  }
}
