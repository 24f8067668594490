package io.rowseal.benchmarks.macro;

import io.rowseal.benchmarks.Row;
import io.rowseal.envelope.Envelope;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.SplittableRandom;

/**
 * The macro benchmark's width control: a plaintext entity whose three columns and fourth (footer)
 * column are binary and exactly as wide as {@link SealedCustomer}'s stored values and row footer, filled
 * with random bytes and no cryptography. Encrypted minus wide is what rowseal's code costs per row; wide
 * minus plaintext is what Hibernate and the database pay for moving the wider row.
 */
@Entity
@Table(name = "rsbench_wide")
public class WideCustomer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbench_wide_seq")
  @SequenceGenerator(name = "rsbench_wide_seq", sequenceName = "rsbench_wide_seq", allocationSize = 50)
  private Long id;
  private byte[] code;
  private byte[] email;
  private byte[] address;
  private byte[] sig;

  public WideCustomer() {}

  private WideCustomer(byte[][] columns) {
    this.code = columns[0];
    this.email = columns[1];
    this.address = columns[2];
    this.sig = columns[3];
  }

  /** A new entity holding {@code columns} (code, email, address, footer). */
  static WideCustomer of(byte[][] columns) {
    return new WideCustomer(columns);
  }

  /** Per row, random columns as wide as rowseal stores that row (branch-key id {@code default}). */
  static byte[][][] columnsFor(Row[] rows) {
    SplittableRandom random = new SplittableRandom(7);
    byte[][][] out = new byte[rows.length][][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new byte[4][];
      for (int f = 0; f < 3; f++) {
        out[i][f] = randomBytes(random, Envelope.binaryLength(rows[i].field(f).length(), "default"));
      }
      out[i][3] = randomBytes(random, Envelope.footerLength("default"));
    }
    return out;
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  /** Bytes held, a checksum for the read-back. */
  long width() {
    return code.length + email.length + address.length + sig.length;
  }
}
