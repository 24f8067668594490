package io.rowseal.benchmarks;

import java.util.Map;

/**
 * What any implementation of rowseal's design must spend per row, measured in the same interleaved run (best
 * round's CPU time), two ways:
 * <ul>
 *   <li><b>Straight</b> (the bounds the targets use): the design's row write and cold row read done in place
 *       with no rowseal code but the KBKDF ({@code parts.DesignRow}: fresh N from /dev/urandom, the row key
 *       derived from the cached branch key, a new AES key, three values with the row header in their AAD; IVs
 *       from a DRBG block as cheap as rowseal's). Every part runs where it runs in a row, so what one part does
 *       to the next is in the figure.
 *   <li><b>Parts</b>, each measured alone in its own loop and added to the floor (raw AES-GCM under one static
 *       key): one AES key schedule (a 32-byte GCM encryption under a new key minus one under the cipher's
 *       current key); one KBKDF (the cheaper of the two ways measured); (header AAD − short AAD) per value,
 *       three values; on writes, the cheaper of one unbuffered 16-byte read of /dev/urandom and a
 *       prediction-resistant DRBG draw. The parts do not add up to the straight figure: on a kernel that
 *       isolates its page tables without PCID a system call slows the work after it
 *       ({@code parts.floorEncryptRowWithEntropy} − floor − read, 0.5–0.6 µs on the machine of 2026-12-03's
 *       evening), and the cold read's parts in place cost ≈ 0.3 µs more than alone.
 *   <li>in the Hibernate path, the row footer on each side: its MAC key derived from the row key and one
 *       HMAC-SHA256 over the canonical row; and what the wider row costs Hibernate and the database (the
 *       macro's "plaintext as wide" control minus plaintext).
 * </ul>
 *
 * @param encrypt encrypt-row's bound, µs: the design's row write straight
 * @param coldDecrypt cold decrypt-row's bound, µs: the design's read of a row whose key is not cached, straight
 * @param encryptParts encrypt-row's parts measured alone, added to the floor, µs
 * @param coldDecryptParts cold decrypt-row's parts measured alone, added to the floor, µs
 * @param entropyInPlace what the 16-byte read of /dev/urandom adds to the floor's encrypt-row when it runs
 *     in the row, µs (against {@code parts.urandomRead16}, the read alone)
 * @param warmDecrypt warm decrypt-row's bound, µs: the floor's decrypt-row with a key and a cached cipher per
 *     row over the same 16,384 rows ({@code parts.floorDecryptRowPerRowCipher}: the memory traffic of
 *     per-row key state) plus the header AAD
 * @param warmDecryptScattered the same with the per-row keys and ciphers in table slots unrelated to the
 *     read order, as a cache holds them ({@code parts.floorDecryptRowPerRowCipherScattered}): what per-row JDK
 *     {@code Cipher} state costs when no prefetcher can follow the reads
 * @param footer the footer's cost on one side, µs
 */
record DesignBound(double encrypt, double coldDecrypt, double encryptParts, double coldDecryptParts,
    double entropyInPlace, double warmDecrypt, double warmDecryptScattered, double footer) {

  static DesignBound of(Map<String, Interleaved.Figure> il) {
    double floorEnc = cpu(il, Report.FLOOR_ENC);
    double floorDec = cpu(il, Report.FLOOR_DEC);
    double schedule = cpu(il, "parts.gcm32NewKeyShortAad") - cpu(il, "parts.gcm32SameKeyShortAad");
    double aad = 3 * Math.max(0, cpu(il, "parts.gcm32SameKeyHeaderAad") - cpu(il, "parts.gcm32SameKeyShortAad"));
    // the cheaper of keying an HMAC per derivation and keeping one keyed with the branch key
    double kbkdf = Math.min(cpu(il, "parts.kbkdfDerive"), cpu(il, "parts.kbkdfDeriveFromCached"));
    double entropy = Math.min(cpu(il, "parts.urandomRead16"), cpu(il, "parts.engineKeyBytes16"));
    return new DesignBound(cpu(il, Interleaved.DESIGN_ROW_WRITE), cpu(il, Interleaved.DESIGN_COLD_READ),
        floorEnc + schedule + kbkdf + aad + entropy, floorDec + schedule + kbkdf + aad,
        cpu(il, Interleaved.FLOOR_WITH_ENTROPY) - floorEnc,
        cpu(il, Interleaved.PER_ROW_CIPHER_FLOOR) + aad, cpu(il, Interleaved.PER_ROW_CIPHER_SCATTERED) + aad,
        cpu(il, "parts.footerMac"));
  }

  /** The engine's three targets against these bounds, as a Markdown table (for the interleaved run's file). */
  String markdown(Map<String, Interleaved.Figure> il) {
    double floorDec = cpu(il, Report.FLOOR_DEC);
    double warm = cpu(il, Report.RS_WARM);
    StringBuilder md = new StringBuilder("\n## Design bounds (best CPU, µs per row)\n\n"
        + "| target | rowseal | bound | rowseal ÷ bound | rowseal ÷ floor / bound ÷ floor |\n|---|---:|---:|---:|---:|\n");
    row(md, "encrypt-row ≤ 1.10× its bound (the design straight)", cpu(il, Report.RS_ENC), encrypt,
        cpu(il, Report.FLOOR_ENC));
    row(md, "encrypt-row; its parts measured alone, added", cpu(il, Report.RS_ENC), encryptParts,
        cpu(il, Report.FLOOR_ENC));
    row(md, "cold decrypt-row ≤ 1.15× its bound (the design straight)", cpu(il, Report.RS_COLD), coldDecrypt,
        floorDec);
    row(md, "cold decrypt-row; its parts measured alone, added", cpu(il, Report.RS_COLD), coldDecryptParts,
        floorDec);
    row(md, "warm decrypt-row ≤ 1.3× floor; bound: per-row ciphers in row order", warm, warmDecrypt, floorDec);
    row(md, "warm decrypt-row; bound: per-row ciphers scattered as in a cache", warm, warmDecryptScattered,
        floorDec);
    row(md, "warm decrypt-row; one cipher re-keyed per row (+ header AAD)", warm,
        cpu(il, Interleaved.PER_ROW_REKEYED) + (warmDecrypt - cpu(il, Interleaved.PER_ROW_CIPHER_FLOOR)), floorDec);
    md.append(String.format(java.util.Locale.ROOT, "%nFloor decrypt-row %.3f µs; the bounds' ratios to it: in row"
        + " order %.2f×, scattered %.2f×.%n", floorDec, warmDecrypt / floorDec, warmDecryptScattered / floorDec));
    md.append(String.format(java.util.Locale.ROOT, "%nThe row write's 16 bytes of /dev/urandom: %.3f µs alone,"
        + " %.3f µs in the row (the floor's encrypt-row after the read, minus the floor's).%n",
        cpu(il, "parts.urandomRead16"), entropyInPlace));
    return md.toString();
  }

  private static void row(StringBuilder md, String what, double rowseal, double bound, double floor) {
    md.append(String.format(java.util.Locale.ROOT, "| %s | %.3f | %.3f | %.2f× | %.2f× / %.2f× |%n", what, rowseal,
        bound, rowseal / bound, rowseal / floor, bound / floor));
  }

  /** The Hibernate path's bound per row (persist + cold read back), without the wider row's cost. */
  double hibernate() {
    return encrypt + coldDecrypt + 2 * footer;
  }

  private static double cpu(Map<String, Interleaved.Figure> il, String key) {
    Interleaved.Figure f = il.get(key);
    return f == null ? Double.NaN : f.bestCpu();
  }
}
