package io.rowseal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a basic entity attribute whose column is stored encrypted: randomized AES-256-GCM under a
 * fresh data key for every row write, wrapped under the cached branch key (see {@code docs/FORMAT.md}).
 *
 * <p>Equality, {@code LIKE} and {@code ORDER BY} on such an attribute cannot work in SQL, because two
 * encryptions of the same value differ. {@code null} stays SQL {@code NULL}: nullness is visible.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Encrypted {

  /**
   * The logical attribute name bound into every value's authentication data. Defaults to
   * {@code EntityName.attribute}; set it explicitly so that renaming the entity or the field does
   * not make old rows unreadable.
   */
  String context() default "";

  /**
   * Length buckets, in bytes of the value's encoding (UTF-8 for text), ascending: each value is padded
   * up to the smallest bucket that holds it (longer ones to a multiple of the largest), so its stored
   * length tells only its bucket. Empty (the default): no padding, the stored length is the plaintext's
   * plus a constant. Enums need none: they are always padded to their longest constant name. Declaring
   * or changing buckets keeps earlier values readable; each value is padded on its next write. The
   * column must be sized for the padded length (the start-up column check prints the DDL).
   */
  int[] lengthBuckets() default {};
}
