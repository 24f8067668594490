package io.rowseal.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.envelope.Envelope;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.testing.ForkedJvm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KmsWireServer}: the endpoint over LocalKms as its own process, shared by two clients. */
class KmsWireServerTest {
  private static final Pattern STARTED = Pattern.compile("KMS endpoint (http://127\\.0\\.0\\.1:\\d+) key (\\S+)");

  @Test
  void server_ownProcess_twoClientsShareItsKey(@TempDir Path dir) throws Exception {
    try (ForkedJvm server = ForkedJvm.start(dir, "kms-wire-server", KmsWireServer.class, "0",
        "jdbc:h2:mem:kms-wire-server;DB_CLOSE_DELAY=-1")) {
      List<String> lines = server.linesUntil(l -> STARTED.matcher(l).matches(), Duration.ofMinutes(2));
      Matcher started = STARTED.matcher(lines.get(lines.size() - 1));
      assertThat(started.matches()).isTrue();
      URI uri = URI.create(started.group(1));
      String key = started.group(2);
      InMemoryBranchKeyStore branchKeys = new InMemoryBranchKeyStore();
      byte[] stored;
      try (AwsKmsCmkProvider first = new AwsKmsCmkProvider(KmsWireEndpoint.client(uri, 1), true, Set.of(key));
          Envelope envelope = Envelope.builder().cmkProvider(first).branchKeyStore(branchKeys).cmkId(key).build()) {
        stored = envelope.encrypt("123-45-6789".getBytes(StandardCharsets.UTF_8), "Customer.ssn");
      }
      // another client (a second instance) unwraps the branch key through the same server
      try (AwsKmsCmkProvider second = new AwsKmsCmkProvider(KmsWireEndpoint.client(uri, 1), true, Set.of(key));
          Envelope envelope = Envelope.builder().cmkProvider(second).branchKeyStore(branchKeys).cmkId(key).build()) {
        assertThat(new String(envelope.decrypt(stored, "Customer.ssn"), StandardCharsets.UTF_8))
            .isEqualTo("123-45-6789");
      }
      assertThat(server.linesUntil(l -> l.equals("request TrentService.Decrypt"), Duration.ofMinutes(1)))
          .contains("request TrentService.GenerateDataKey");
    }
  }
}
