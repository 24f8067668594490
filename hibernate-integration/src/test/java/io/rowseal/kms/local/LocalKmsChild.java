package io.rowseal.kms.local;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.RowsealException;
import io.rowseal.crypto.KeyMaterial;
import io.rowseal.kms.DataKey;
import io.rowseal.kms.EncryptionContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One process of {@link LocalKmsSharedTablesTest}: a LocalKms on tables another process uses too, driven
 * by commands on standard input, one a line, each answered by one line on standard output.
 * <pre>
 * go                         → started &lt;generation&gt;       (builds the LocalKms: the start the test races)
 * create                     → created &lt;cmk id&gt;
 * generate &lt;cmk&gt;             → generated &lt;version&gt; &lt;blob hex&gt; &lt;key hex&gt;
 * unwrap &lt;cmk&gt; &lt;blob hex&gt;    → unwrapped &lt;key hex&gt;
 * rotate-key &lt;cmk&gt;           → rotated-key &lt;version&gt;
 * rotate-domain              → rotated-domain &lt;generation&gt;
 * rotate-domain-and-die      → resealed, then the JVM halts (a crash: no close) after the first EKT it
 *                              re-seals, its new domain token stored and the older one still needed
 * maintain                   → maintained &lt;generation&gt;  (one run of the maintenance thread's work)
 * exit                       → closes it and ends with 0
 * </pre>
 * A refused command answers {@code error <RS code> <message>} and the child goes on.
 * Arguments: JDBC URL, user, password, table prefix, keystore file.
 */
public final class LocalKmsChild {
  static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("test", "shared-tables"));

  private LocalKmsChild() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername(args[1]);
    config.setPassword(args[2]);
    config.setMaximumPoolSize(4);
    HexFormat hex = HexFormat.of();
    LocalKms kms = null;
    AtomicBoolean dieAfterReseal = new AtomicBoolean();
    System.out.println("waiting");
    try (HikariDataSource ds = new HikariDataSource(config);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(" ");
        try {
          switch (c[0]) {
            case "go" -> {
              LocalKmsBuilder b = LocalKms.builder().dataSource(ds).keystore(Path.of(args[4]))
                  .passphrase(LocalKmsTesting.PASSPHRASE).tablePrefix(args[3]);
              b.maintenanceInterval = null;
              b.rotationHook = row -> {
                if (dieAfterReseal.get()) {
                  System.out.println("resealed");
                  System.out.flush();
                  Runtime.getRuntime().halt(137);
                }
              };
              kms = b.build();
              System.out.println("started " + kms.domainKeyGeneration());
            }
            case "create" -> System.out.println("created " + kms.createKey("shared").cmkId());
            case "generate" -> {
              DataKey key = kms.generateDataKey(c[1], CONTEXT);
              System.out.println("generated " + kms.describe(c[1]).currentVersion() + " "
                  + hex.formatHex(key.wrapped()) + " " + hex.formatHex(key.plaintext().copyBytes()));
            }
            case "unwrap" -> {
              KeyMaterial key = kms.unwrap(c[1], hex.parseHex(c[2]), CONTEXT);
              System.out.println("unwrapped " + hex.formatHex(key.copyBytes()));
            }
            case "rotate-key" -> System.out.println("rotated-key " + kms.rotateKey(c[1]).currentVersion());
            case "rotate-domain" -> System.out.println("rotated-domain " + kms.rotateDomainKey());
            case "rotate-domain-and-die" -> {
              dieAfterReseal.set(true);
              kms.rotateDomainKey();
              System.out.println("error the rotation re-sealed no EKT");
            }
            case "maintain" -> {
              kms.runMaintenance();
              System.out.println("maintained " + kms.domainKeyGeneration());
            }
            case "exit" -> {
              if (kms != null) {
                kms.close();
              }
              System.out.println("bye");
              return;
            }
            default -> System.out.println("error unknown command " + line);
          }
        } catch (RowsealException e) {
          System.out.println("error " + e.code() + " " + e.getMessage().replace('\n', ' '));
        } catch (io.rowseal.IntegrityException e) {
          System.out.println("error integrity " + e.getMessage());
        }
      }
    }
  }
}
