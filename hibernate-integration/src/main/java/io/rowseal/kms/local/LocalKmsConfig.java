package io.rowseal.kms.local;

import com.github.benmanes.caffeine.cache.Ticker;
import io.rowseal.crypto.RandomSource;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The validated, sealed settings of one LocalKms, made by {@link LocalKmsBuilder#build()}. The
 * passphrase array is LocalKms's own copy and is zeroed once the keystore has been opened.
 *
 * @param maintenanceInterval how often the background thread checks for due work; {@code null}: no
 *     background thread (tests drive {@link LocalKms#runMaintenance()} themselves)
 * @param domainTokenVersion the EDT version issued: {@link DomainToken#VERSION}, or 1 where tests model
 *     the state an older rowseal left
 */
record LocalKmsConfig(DataSource dataSource, HsmKeystore keystore, char[] passphrase, boolean development,
    int hsmCount, boolean hsmCountSet, String tablePrefix, Clock clock, Ticker ticker, int quota,
    Duration domainKeyRotationPeriod, Duration maintenanceInterval, RandomSource random,
    DomainKeyRotation.Hook rotationHook, byte domainTokenVersion) {

  @Override
  public String toString() {
    return "LocalKmsConfig(keystore=" + keystore + ", passphrase=redacted, development=" + development
        + ", hsmCount=" + hsmCount + ", tablePrefix=" + tablePrefix + ", quota=" + quota + "/s"
        + ", domainKeyRotationPeriod=" + domainKeyRotationPeriod + ")";
  }
}
