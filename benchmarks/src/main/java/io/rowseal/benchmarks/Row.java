package io.rowseal.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One row's three text fields, of 16, 32 and 64 bytes (ASCII, so characters are bytes): the unit every
 * micro benchmark encrypts and decrypts.
 */
public record Row(String code, String email, String address) {
  /** Logical attribute names, bound as AAD by every contender that takes AAD. */
  public static final String CODE = "Customer.code";
  public static final String EMAIL = "Customer.email";
  public static final String ADDRESS = "Customer.address";
  public static final String[] ATTRIBUTES = {CODE, EMAIL, ADDRESS};
  /** Field sizes in bytes. */
  public static final int[] SIZES = {16, 32, 64};
  /** Plaintext bytes per row. */
  public static final int PLAINTEXT_BYTES = 16 + 32 + 64;

  private static final char[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  public Row {
    check(code, 16);
    check(email, 32);
    check(address, 64);
  }

  /** The field at {@code i} (0, 1, 2) in {@link #ATTRIBUTES} order. */
  public String field(int i) {
    return switch (i) {
      case 0 -> code;
      case 1 -> email;
      case 2 -> address;
      default -> throw new IllegalArgumentException("field index must be 0..2, was " + i);
    };
  }

  public static Row of(String[] fields) {
    return new Row(fields[0], fields[1], fields[2]);
  }

  /** {@code n} distinct rows of random text, reproducible from {@code seed}. */
  public static Row[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Row[] rows = new Row[n];
    for (int i = 0; i < n; i++) {
      rows[i] = new Row(text(r, 16), text(r, 32), text(r, 64));
    }
    return rows;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(SplittableRandom r, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }

  private static void check(String s, int length) {
    if (s == null || s.getBytes(StandardCharsets.UTF_8).length != length) {
      throw new IllegalArgumentException("field must be " + length + " bytes");
    }
  }
}
