package io.rowseal.benchmarks;

import io.rowseal.benchmarks.contenders.DbEsdkItem;
import io.rowseal.benchmarks.contenders.FloorAesGcm;
import io.rowseal.benchmarks.contenders.JasyptText;
import io.rowseal.benchmarks.contenders.RowsealEngine;
import io.rowseal.benchmarks.contenders.TinkAead;
import java.security.GeneralSecurityException;

/** One instance of every contender, for the storage figures and the round-trip test. */
public record Contenders(FloorAesGcm floor, RowsealEngine rowseal, TinkAead tink, DbEsdkItem dbEsdk,
    DbEsdkItem dbEsdkNoEcdsa, JasyptText jasyptStandard, JasyptText jasyptAes256) {

  public static Contenders create() throws GeneralSecurityException {
    return new Contenders(new FloorAesGcm(), new RowsealEngine(), new TinkAead(), new DbEsdkItem(true),
        new DbEsdkItem(false), JasyptText.standardDefaults("benchmark password"),
        JasyptText.aes256("benchmark password"));
  }

  public RowCipher<?>[] all() {
    return new RowCipher<?>[] {floor, rowseal, tink, dbEsdk, dbEsdkNoEcdsa, jasyptStandard, jasyptAes256};
  }
}
