package io.rowseal.kms.aws;

import io.rowseal.IntegrityException;
import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.CmkProvider;
import io.rowseal.kms.InMemoryCmkProvider;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * What a branch-key cache miss costs with {@code rowseal.kms=aws} (issue 19 item 6): a fresh envelope reads
 * a value written by another, so its first decryption reads the branch-key version from the key store and
 * unwraps it with one {@code Decrypt} through the real AWS SDK, over HTTP to {@link KmsWireEndpoint} on the
 * loopback interface (SigV4 signing, JSON, one round trip; no network, no TLS, no AWS: a real KMS adds its
 * region's round trip, typically a few milliseconds). The same miss with the in-memory provider runs in the
 * same rounds, interleaved, so the difference is the AWS provider's own cost. A development measurement in
 * the test sources because the endpoint lives there; run it with the test class path:
 *
 * <pre>
 * mvn -q -pl hibernate-integration dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp
 * java -cp hibernate-integration/target/classes:hibernate-integration/target/test-classes:$(cat /tmp/cp) \
 *     io.rowseal.kms.aws.AwsCacheMissCost [rounds]
 * </pre>
 */
public final class AwsCacheMissCost {
  private static final String ATTRIBUTE = "Customer.ssn";

  /** µs per miss (best and median round) for each provider, and the KMS requests the AWS misses sent. */
  record Figures(double awsBest, double awsMedian, double memoryBest, double memoryMedian, long misses,
      long decrypts, long requests) {}

  private AwsCacheMissCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Figures f = measure(rounds, 20);
    System.out.printf(Locale.ROOT, "branch-key cache miss, µs (best round / median round of %d, 20 misses each)%n"
        + "  aws (SDK over HTTP to the loopback endpoint): %.0f / %.0f%n  in-memory provider: %.0f / %.0f%n"
        + "  the AWS provider's own cost per miss: %.0f / %.0f%n  KMS requests: %d Decrypt of %d requests for %d"
        + " misses%n", rounds, f.awsBest(), f.awsMedian(), f.memoryBest(), f.memoryMedian(),
        f.awsBest() - f.memoryBest(), f.awsMedian() - f.memoryMedian(), f.decrypts(), f.requests(), f.misses());
  }

  static Figures measure(int rounds, int missesPerRound) throws Exception {
    try (KmsWireEndpoint kms = new KmsWireEndpoint()) {
      String key = kms.createKey();
      AwsKmsCmkProvider aws = new AwsKmsCmkProvider(kms.client(3), true, Set.of(key));
      InMemoryCmkProvider memory = new InMemoryCmkProvider();
      String memoryKey = memory.createKey("cache-miss benchmark").cmkId();
      try {
        Side awsSide = new Side(aws, key);
        Side memorySide = new Side(memory, memoryKey);
        // warm-up: class loading, the SDK's first request, JIT
        for (int i = 0; i < 5; i++) {
          awsSide.missMicros(missesPerRound);
          memorySide.missMicros(missesPerRound);
        }
        long decryptsBefore = kms.requests("Decrypt");
        long requestsBefore = kms.requests().size();
        double[] a = new double[rounds];
        double[] m = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          a[r] = awsSide.missMicros(missesPerRound);
          m[r] = memorySide.missMicros(missesPerRound);
        }
        long decrypts = kms.requests("Decrypt") - decryptsBefore;
        long requests = kms.requests().size() - requestsBefore;
        Arrays.sort(a);
        Arrays.sort(m);
        return new Figures(a[0], a[rounds / 2], m[0], m[rounds / 2], (long) rounds * missesPerRound, decrypts,
            requests);
      } finally {
        aws.close();
      }
    }
  }

  /** One provider: a store holding one branch-key version, written once, and a value under it. */
  private static final class Side {
    private final CmkProvider provider;
    private final String cmkId;
    private final InMemoryBranchKeyStore store = new InMemoryBranchKeyStore();
    private final byte[] stored;

    Side(CmkProvider provider, String cmkId) {
      this.provider = provider;
      this.cmkId = cmkId;
      try (Envelope writer = envelope()) {
        stored = writer.encrypt("123-45-6789".getBytes(StandardCharsets.UTF_8), ATTRIBUTE);
      }
    }

    private Envelope envelope() {
      return Envelope.builder().cmkProvider(provider).branchKeyStore(store).cmkId(cmkId).build();
    }

    /** µs per miss: a fresh envelope's first read of the value (key-store read + unwrap + decryption). */
    double missMicros(int misses) throws IntegrityException {
      long total = 0;
      for (int i = 0; i < misses; i++) {
        try (Envelope reader = envelope()) {
          long t = System.nanoTime();
          reader.decrypt(stored, ATTRIBUTE);
          total += System.nanoTime() - t;
        }
      }
      return total / 1e3 / misses;
    }
  }
}
