package io.rowseal.kms.aws;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link KmsWireEndpoint} over {@link LocalKms} as a process of its own, so that several JVMs in development
 * (or a test's children) share one KMS through {@code rowseal.kms=aws} and {@code rowseal.kms.aws.endpoint}.
 * A development and test fixture, not a KMS: plain HTTP on the loopback interface, no authentication, its
 * keystore under a published passphrase.
 *
 * <p>Arguments: port (0: a free one), JDBC URL of LocalKms's tables (user and password in the URL if
 * needed), and optionally the keystore file of its HSM keys (default: in memory, so the keys die with the
 * process; give a file to keep them across restarts of a persistent database). Prints one line
 * {@code KMS endpoint <url> key <arn>} with a new key, then the target of each request; runs until killed.
 */
public final class KmsWireServer {
  private KmsWireServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: KmsWireServer <port> <jdbc-url> [<keystore.p12>]");
      System.exit(2);
    }
    // 1. LocalKms's tables in the given database.
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(args[1]);
    pool.setMaximumPoolSize(4);
    // 2. LocalKms, its HSM keys in memory or in the given keystore file, behind the endpoint.
    KmsWireEndpoint endpoint = KmsWireEndpoint.overLocalKms(pool, args.length == 3 ? Path.of(args[2]) : null,
        Integer.parseInt(args[0]));
    endpoint.printRequests();
    // 3. One key for the clients, printed with the URL.
    System.out.println("KMS endpoint " + endpoint.uri() + " key " + endpoint.createKey());
    System.out.flush();
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoint.close();
      pool.close();
    }));
    forever.await();
  }
}
