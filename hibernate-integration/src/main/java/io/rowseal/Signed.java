package io.rowseal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a basic entity attribute that stays plaintext but is covered by its row's signature (the
 * row footer, {@code docs/FORMAT.md}), like the DynamoDB encryption clients' {@code SIGN_ONLY} action:
 * an edit of the stored value outside the application makes loading the row fail.
 *
 * <p>Only meaningful in an entity that has {@link Encrypted} attributes (its row's data key signs the
 * row). The value is signed as the application wrote it, so its column must give it back exactly:
 * no rounding of decimals or timestamps, no padding of {@code CHAR} columns.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Signed {

  /**
   * The logical attribute name the signature covers. Defaults to {@code EntityName.attribute}; set it
   * explicitly so that renaming the entity or the field does not make old rows fail to verify.
   */
  String context() default "";
}
