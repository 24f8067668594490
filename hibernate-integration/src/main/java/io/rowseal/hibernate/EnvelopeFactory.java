package io.rowseal.hibernate;

import io.rowseal.envelope.Envelope;
import io.rowseal.envelope.EnvelopeBuilder;
import io.rowseal.keystore.BranchKeyStore;
import io.rowseal.keystore.JdbcBranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.InMemoryCmkProvider;
import io.rowseal.kms.KmsException;
import io.rowseal.kms.aws.AwsKms;
import io.rowseal.kms.local.LocalKms;
import io.rowseal.kms.local.LocalKmsBuilder;
import io.rowseal.kms.local.LocalKmsSettings;
import io.rowseal.kms.pkcs11.Pkcs11CmkProvider;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.boot.registry.classloading.spi.ClassLoaderService;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.ServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Envelope} a session factory encrypts with, from the {@link RowsealSettings}: an
 * {@code rowseal.envelope} instance as is, or one built from a CMK provider and a branch-key store. The
 * defaults — the embedded LocalKms and the JDBC branch-key store — keep their state in the
 * application's own database, reached through Hibernate's {@link ConnectionProvider}.
 */
final class EnvelopeFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeFactory.class);

  private EnvelopeFactory() {}

  /**
   * Row writes whose envelope is built on a thread of its own ({@link EnvelopeStart}); an {@code rowseal.envelope}
   * instance is taken as is. The services the build uses are looked up here, on the booting thread, and so are
   * the refusals that keep nothing and cost nothing (a bad {@code rowseal.*} value, a CMK provider class that is
   * not one, the LocalKms's development keys on a server database, {@code RS-2018}): they still fail the boot
   * before Hibernate's schema action runs. The start's own failures fail it when the factory joins the start.
   */
  static RowWrites start(RowsealSettings settings, ServiceRegistry registry) {
    if (settings.value(RowsealSettings.ENVELOPE) instanceof Envelope envelope) {
      return new RowWrites(envelope, false);
    }
    if (settings.value(RowsealSettings.ENVELOPE) != null) {
      throw RowsealSettings.invalid(RowsealSettings.ENVELOPE, "must be an Envelope instance");
    }
    ClassLoaderService classes = registry.requireService(ClassLoaderService.class);
    ConnectionProvider connections = registry.getService(ConnectionProvider.class);
    Supplier<DataSource> dataSource = () -> dataSource(connections);
    Supplier<CmkProvider> kms = cmkProvider(settings, classes, dataSource);
    return new RowWrites(EnvelopeStart.begin(() -> create(settings, kms.get(), dataSource)));
  }

  /** Builds the envelope over {@code kms}; closes {@code kms} if it was made here and the build fails. */
  private static EnvelopeStart.Built create(RowsealSettings settings, CmkProvider kms,
      Supplier<DataSource> dataSource) {
    // A LocalKms, AWS KMS client or PKCS#11 provider made here belongs to this session factory: it is closed with it.
    Object named = settings.value(RowsealSettings.KMS);
    boolean madeHere = named == null || java.util.Set.of("local", "aws", "pkcs11").contains(named.toString().trim());
    AutoCloseable owned = madeHere && kms instanceof AutoCloseable c ? c : null;
    try {
      EnvelopeBuilder builder = Envelope.builder()
          .cmkProvider(kms)
          .branchKeyStore(keyStore(settings, dataSource))
          .branchKeyId(settings.branchKeyId());
      if (settings.cmkId() != null) {
        builder.cmkId(settings.cmkId());
      }
      builder.previousCmkIds(settings.previousCmkIds());
      if (settings.branchKeyTtl() != null) {
        builder.branchKeyTtl(settings.branchKeyTtl());
      }
      if (settings.dekCacheTtl() != null) {
        builder.dekCacheTtl(settings.dekCacheTtl());
      }
      if (settings.dekCacheMaxSize() >= 0) {
        builder.dekCacheMaxSize(settings.dekCacheMaxSize());
      }
      if (settings.healthProbeInterval() != null) {
        builder.healthProbeInterval(settings.healthProbeInterval());
      }
      if (settings.healthProbeTimeout() != null) {
        builder.healthProbeTimeout(settings.healthProbeTimeout());
      }
      return new EnvelopeStart.Built(builder.build(), true, owned);
    } catch (RuntimeException | Error e) {
      // The boot fails with e; the KMS made for it (a LocalKms's maintenance thread, a PKCS#11 session) is closed.
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** How to make the CMK provider, checked as far as that costs nothing; made by the start's thread. */
  private static Supplier<CmkProvider> cmkProvider(RowsealSettings settings, ClassLoaderService classes,
      Supplier<DataSource> dataSource) {
    Object kms = settings.value(RowsealSettings.KMS);
    if (kms instanceof CmkProvider provider) {
      return () -> provider;
    }
    String name = kms == null ? "local" : kms.toString().trim();
    if (name.equals("in-memory")) {
      return () -> {
        LOG.warn("rowseal uses the in-memory KMS: every key dies with this process, and so does every "
            + "value written under it. Use it for tests only.");
        return new InMemoryCmkProvider();
      };
    }
    if (name.equals("aws")) {
      // loaded reflectively: the AWS SDK is an optional dependency (RS-2020 names it when it is missing)
      return () -> AwsKms.fromSettings(settings.raw(), AwsKms.class.getClassLoader());
    }
    if (name.equals("pkcs11")) {
      return () -> Pkcs11CmkProvider.fromSettings(settings.raw());
    }
    if (name.equals("local")) {
      LocalKmsBuilder builder;
      try {
        builder = LocalKmsSettings.apply(settings.raw(), LocalKms.builder());
      } catch (IllegalArgumentException | IllegalStateException e) {
        // A bad rowseal.kms.local.* value is a settings mistake like any other (unknown keys failed earlier).
        throw new EncryptedMappingException("RS-4010", e.getMessage(), e);
      }
      startLocal(() -> builder.dataSource(dataSource.get()).check());
      return () -> startLocal(builder::build);
    }
    Class<?> type = load(classes, name);
    if (type == null || !CmkProvider.class.isAssignableFrom(type)) {
      throw RowsealSettings.invalid(RowsealSettings.KMS, "must be local, in-memory, aws, pkcs11, a CmkProvider or the "
          + "name of a CmkProvider class, was '" + name + "'");
    }
    return () -> (CmkProvider) invoke(() -> type.getConstructor().newInstance(), name);
  }

  /** Runs a step of the embedded LocalKms's start, its failures as the boot reports them. */
  private static <T> T startLocal(Supplier<T> step) {
    try {
      return step.get();
    } catch (KmsException e) {
      if (e.code().equals("RS-2018")) {
        // Development keys refused on this database: the code itself says what to configure.
        throw e;
      }
      throw new EncryptedMappingException("RS-4011", "cannot start the embedded LocalKms: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new EncryptedMappingException("RS-4011", "cannot start the embedded LocalKms: " + e.getMessage(), e);
    }
  }

  private static BranchKeyStore keyStore(RowsealSettings settings,
      Supplier<DataSource> dataSource) {
    Object store = settings.value(RowsealSettings.KEYSTORE);
    if (store instanceof BranchKeyStore s) {
      return s;
    }
    if (store != null) {
      throw RowsealSettings.invalid(RowsealSettings.KEYSTORE, "must be a BranchKeyStore instance");
    }
    try {
      return new JdbcBranchKeyStore(dataSource.get(), settings.keystoreTable());
    } catch (RuntimeException e) {
      throw new EncryptedMappingException("RS-4011", "cannot start the branch-key store in table '"
          + settings.keystoreTable() + "': " + e.getMessage(), e);
    }
  }

  /** Hibernate's own DataSource, or its ConnectionProvider seen as one. */
  static DataSource dataSource(ServiceRegistry registry) {
    return dataSource(registry.requireService(ConnectionProvider.class));
  }

  private static DataSource dataSource(ConnectionProvider provider) {
    if (provider == null) {
      throw new IllegalStateException("Hibernate has no ConnectionProvider service");
    }
    return provider.isUnwrappableAs(DataSource.class)
        ? provider.unwrap(DataSource.class)
        : ConnectionProviderDataSource.of(provider);
  }

  private static Class<?> load(ClassLoaderService classes, String name) {
    try {
      return classes.classForName(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private interface Reflective {
    Object call() throws ReflectiveOperationException;
  }

  private static Object invoke(Reflective call, String what) {
    try {
      return call.call();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new EncryptedMappingException("RS-4011", "cannot start " + what + ": " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new EncryptedMappingException("RS-4011", "cannot start " + what + ": " + e, e);
    }
  }
}
