package io.rowseal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.benchmarks.parts.DesignRow;
import io.rowseal.keystore.InMemoryBranchKeyStore;
import io.rowseal.kms.InMemoryCmkProvider;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine bounds' straight design ({@link DesignRow}) does the design's cryptographic work, no less: it
 * writes values rowseal's engine reads and reads values the engine writes, under the same branch key (the
 * in-memory KMS hands out a branch key of known bytes here). No timing.
 */
class DesignRowTest {
  private static final byte BRANCH_KEY_BYTE = 0x5a;
  private static final Row[] ROWS = Row.random(8, 7);

  private RowsealEngine engine;
  private DesignRow design;

  @BeforeEach
  void create() throws Exception {
    // every key the provider draws (CMK, branch key) is 32 bytes of 0x5a
    InMemoryCmkProvider cmk = new InMemoryCmkProvider(out -> Arrays.fill(out, BRANCH_KEY_BYTE), Clock.systemUTC());
    engine = new RowsealEngine(cmk, new InMemoryBranchKeyStore(), -1);
    engine.encrypt(ROWS[0]); // the engine's first write creates branch key default#1
    byte[] branchKey = new byte[32];
    Arrays.fill(branchKey, BRANCH_KEY_BYTE);
    design = new DesignRow(branchKey);
    design.setUp();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theEngineReadsWhatTheStraightDesignWrites() throws Exception {
    for (Row row : ROWS) {
      byte[][] written = design.encrypt(row);
      assertThat(engine.decrypt(written)).isEqualTo(row);
      assertThat(engine.storedBytes(written)).isEqualTo(engine.storedBytes(engine.encrypt(row)));
    }
  }

  @Test
  void theStraightDesignReadsWhatTheEngineWrites() throws Exception {
    for (Row row : ROWS) {
      assertThat(design.decrypt(engine.encrypt(row))).containsExactly(row.code(), row.email(), row.address());
    }
  }

  @Test
  void theStraightDesignChecksTheHeaderAsAad() throws Exception {
    byte[][] written = engine.encrypt(ROWS[0]);
    written[1][20] ^= 1; // a byte of N in the second value's header: its AAD, not its key (read from value 0)
    assertThatThrownBy(() -> design.decrypt(written)).isInstanceOf(javax.crypto.AEADBadTagException.class);
  }
}
