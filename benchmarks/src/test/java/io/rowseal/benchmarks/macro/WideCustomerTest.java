package io.rowseal.benchmarks.macro;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.benchmarks.Row;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.envelope.RowEncryptor;
import org.junit.jupiter.api.Test;

/** The macro's width control is only a control if its columns are as wide as what rowseal stores. */
class WideCustomerTest {
  @Test
  void columnsFor_areExactlyAsWideAsTheEngineStoresTheRowAndItsFooter() throws Exception {
    Row[] rows = Row.random(3, 5);
    byte[][][] wide = WideCustomer.columnsFor(rows);
    try (RowsealEngine engine = new RowsealEngine()) {
      for (int i = 0; i < rows.length; i++) {
        byte[][] stored = engine.encrypt(rows[i]);
        for (int f = 0; f < 3; f++) {
          assertThat(wide[i][f]).as("row %d field %d", i, f).hasSize(stored[f].length);
        }
        try (RowEncryptor row = engine.envelope().beginRow()) {
          assertThat(wide[i][3]).as("row %d footer", i).hasSize(row.sign(new byte[] {1, 2, 3}).length);
        }
      }
    }
  }
}
