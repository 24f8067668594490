package io.rowseal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an {@link Encrypted} attribute searchable by equality (and, with {@link #prefix()}, by prefix)
 * through a blind index: beside the randomized value rowseal stores a truncated keyed hash
 * (HMAC-SHA256) of the normalized plaintext, under an index key derived from the key hierarchy with
 * its own label and versions, and rewrites {@code =}, {@code in} and {@code like 'x%'} on the attribute
 * onto the index columns. A truncated index matches some other values too; rowseal removes those rows
 * after decryption, so a query returns exactly the rows a plaintext column would. See
 * {@code docs/SEARCH.md} for what each index leaks and how to size it.
 *
 * <p>Only attributes of an entity itself (not inside an embeddable) can be searchable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Searchable {

  /**
   * How a value is normalized before it is indexed and compared; none by default, so matching is as
   * exact as on the plaintext column. Declared normalizations make {@code =} and {@code like} on the
   * attribute match the normalized forms (e.g. case-insensitively). Text attributes only.
   */
  Normalization[] normalize() default {};

  /**
   * Longest prefix, in characters, indexed for {@code like 'x%'} searches; 0 (the default) allows
   * equality only. A longer search prefix is answered through this length's index and filtered after
   * decryption. Each length is one more index column ({@code <column>_p1} …). Text attributes only.
   */
  int prefix() default 0;

  /**
   * A full-length (256-bit) index with a unique constraint: a second row with the same normalized value
   * fails its insert. It leaks which rows are equal exactly (no false positives to hide among).
   */
  boolean unique() default false;

  /**
   * Index length in bits (8 to 256). 0 (the default) chooses it from {@link #distinctValues()}: the
   * largest length with 2^bits ≤ distinct/4 and 2^bits &gt; √distinct, so every index value is shared by
   * several distinct values. Ignored when {@link #unique()}.
   */
  int bits() default 0;

  /** Expected number of distinct values of the attribute, for sizing the index (default 1,000,000). */
  long distinctValues() default 0;

  /** Name of the equality index column; default {@code <column>_bidx}. */
  String column() default "";

  /** A normalization applied to text before it is indexed and compared. */
  enum Normalization {
    /** Strip leading and trailing white space ({@code String.strip()}). */
    TRIM,
    /** Lower-case with {@code Locale.ROOT}. */
    LOWER_CASE,
    /** Unicode normalization form C. */
    NFC
  }
}
