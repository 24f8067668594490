package io.rowseal.benchmarks;

import io.rowseal.benchmarks.contenders.DbEsdkItem;
import io.rowseal.envelope.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bytes stored per row by each contender, measured on real output (not from a formula): the three
 * fields (16 + 32 + 64 = 112 plaintext bytes) in each contender's binary or text form, plus any per-row
 * attribute the library adds. Primary keys and column names are not counted for anyone.
 */
public final class Storage {
  private Storage() {}

  /** Label of rowseal's figure with the row signature the Hibernate integration adds by default. */
  public static final String ROWSEAL_WITH_FOOTER = "rowseal engine + row footer (Hibernate default)";

  /** One contender's storage figures. */
  public record Entry(String contender, int bytesPerRow, int overheadPerRow, String form) {}

  /** Encrypts {@code row} with {@code cipher} and measures what it stores. */
  public static <S> Entry measure(RowCipher<S> cipher, Row row, String form) throws Exception {
    int bytes = cipher.storedBytes(cipher.encrypt(row));
    return new Entry(cipher.name(), bytes, bytes - Row.PLAINTEXT_BYTES, form);
  }

  /** The DB-ESDK's bytes, with the share of its header and footer attributes named in the form. */
  public static Entry measure(DbEsdkItem cipher, Row row) throws Exception {
    Map<String, AttributeValue> item = cipher.encrypt(row);
    int bytes = cipher.storedBytes(item);
    return new Entry(cipher.name(), bytes, bytes - Row.PLAINTEXT_BYTES,
        "3 binary attributes + aws_dbe_head + aws_dbe_foot (" + cipher.headerAndFooterBytes(item)
            + " B of them)");
  }

  /** rowseal's exact size per the value format: {@code Σ (51 + len(branch-key id) + n)} (value format 2). */
  public static int rowsealFormula(String branchKeyId) {
    int n = 0;
    for (int size : Row.SIZES) {
      n += Envelope.binaryLength(size, branchKeyId);
    }
    return n;
  }

  /** Every contender, on one row. */
  public static List<Entry> all(Contenders c, Row row) throws Exception {
    List<Entry> out = new ArrayList<>();
    out.add(measure(c.floor(), row, "3 × (IV 12 ‖ ct ‖ tag 16), binary"));
    Entry rowseal = measure(c.rowseal(), row,
        "3 × (header 23+k ‖ IV 12 ‖ ct ‖ tag 16), binary; k = 7 for key id \"default\"");
    out.add(rowseal);
    int footer = Envelope.footerLength("default");
    out.add(new Entry(ROWSEAL_WITH_FOOTER, rowseal.bytesPerRow() + footer,
        rowseal.bytesPerRow() + footer - Row.PLAINTEXT_BYTES,
        "the same + the row footer column (" + footer + " B: version, row header, HMAC-SHA256), on by default"));
    out.add(measure(c.tink(), row, "3 × (prefix 5 ‖ IV 12 ‖ ct ‖ tag 16), binary"));
    out.add(measure(c.dbEsdk(), row));
    out.add(measure(c.dbEsdkNoEcdsa(), row));
    out.add(measure(c.jasyptStandard(), row, "3 × Base64(salt 8 ‖ DES-CBC ct), text"));
    out.add(measure(c.jasyptAes256(), row, "3 × Base64(salt 16 ‖ IV 16 ‖ AES-CBC ct), text"));
    return out;
  }
}
