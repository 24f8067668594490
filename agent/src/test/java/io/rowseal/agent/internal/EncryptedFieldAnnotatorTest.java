package io.rowseal.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent writes on a configured field, read back through reflection as Hibernate reads it. */
class EncryptedFieldAnnotatorTest {

  /** An entity-like class whose source carries no rowseal annotation. */
  static class Customer {
    String email;
    String lastName;
    String note;
  }

  /** The same class, with {@code @Encrypted} already in its source. */
  static class AnnotatedCustomer {
    @Encrypted(context = "kept")
    String email;
  }

  private static Class<?> transform(String config) {
    List<Target> targets = targets(config);
    byte[] transformed = new EncryptedFieldAnnotator(Map.of(Customer.class.getName(), targets),
        new TargetTracker(targets)).annotate(internalName(Customer.class), ClassFiles.of(Customer.class), null);
    assertThat(transformed).isNotNull();
    // a child-first loader defines the transformed copy; io.rowseal.* still come from the test's loader
    return ClassFiles.define(Customer.class, transformed);
  }

  private static List<Target> targets(String config) {
    return AgentConfig.from(PropertiesFile.parse(Path.of("rowseal.properties"), config)).targets();
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    return type.getDeclaredField(name);
  }

  @Test
  void transform_searchableOptions_addSearchableWithThoseValues() throws Exception {
    Class<?> customer = transform("""
        encrypt.email = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$Customer#email
        encrypt.email.context = Customer.email
        encrypt.email.searchable = equality
        encrypt.email.search-normalize = trim,lower-case
        encrypt.email.search-unique = true
        encrypt.email.search-column = email_idx
        encrypt.last = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$Customer#lastName
        encrypt.last.searchable = prefix
        encrypt.last.search-prefix = 3
        encrypt.last.search-bits = 10
        encrypt.last.search-distinct-values = 2000
        encrypt.note = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$Customer#note
        """);

    assertThat(customer).isNotSameAs(Customer.class);
    assertThat(field(customer, "email").getAnnotation(Encrypted.class).context()).isEqualTo("Customer.email");
    Searchable email = field(customer, "email").getAnnotation(Searchable.class);
    assertThat(email.normalize()).containsExactly(Searchable.Normalization.TRIM, Searchable.Normalization.LOWER_CASE);
    assertThat(email.prefix()).isZero();
    assertThat(email.unique()).isTrue();
    assertThat(email.bits()).isZero();
    assertThat(email.distinctValues()).isZero();
    assertThat(email.column()).isEqualTo("email_idx");

    assertThat(field(customer, "lastName").getAnnotation(Encrypted.class)).isNotNull();
    Searchable lastName = field(customer, "lastName").getAnnotation(Searchable.class);
    assertThat(lastName.normalize()).isEmpty();
    assertThat(lastName.prefix()).isEqualTo(3);
    assertThat(lastName.unique()).isFalse();
    assertThat(lastName.bits()).isEqualTo(10);
    assertThat(lastName.distinctValues()).isEqualTo(2000);
    assertThat(lastName.column()).isEmpty();

    assertThat(field(customer, "note").getAnnotation(Encrypted.class)).isNotNull();
    assertThat(field(customer, "note").getAnnotation(Searchable.class)).isNull();
  }

  @Test
  void annotate_fieldMissing_recordsItAndLeavesTheClassAlone() {
    List<Target> targets = targets("encrypt.x = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$Customer#mail\n");
    TargetTracker tracker = new TargetTracker(targets);

    byte[] transformed = new EncryptedFieldAnnotator(Map.of(Customer.class.getName(), targets), tracker)
        .annotate(internalName(Customer.class), ClassFiles.of(Customer.class), null);

    assertThat(transformed).isNull();
    assertThat(tracker.state(targets.get(0))).isEqualTo(TargetTracker.State.FIELD_MISSING);
    assertThat(tracker.gaps()).containsExactly(targets.get(0) + ": class " + Customer.class.getName()
        + " has no field mail");
  }

  @Test
  void annotate_fieldAlreadyAnnotated_keepsTheSourcesAnnotation() {
    List<Target> targets = targets(
        "encrypt.x = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$AnnotatedCustomer#email\n");
    TargetTracker tracker = new TargetTracker(targets);

    byte[] transformed = new EncryptedFieldAnnotator(Map.of(AnnotatedCustomer.class.getName(), targets), tracker)
        .annotate(internalName(AnnotatedCustomer.class), ClassFiles.of(AnnotatedCustomer.class), null);

    assertThat(transformed).isNull();
    assertThat(tracker.state(targets.get(0))).isEqualTo(TargetTracker.State.ALREADY_ANNOTATED);
  }

  @Test
  void annotate_configuredFields_recordsThemAnnotatedAndKeepsTheOthersBare() throws Exception {
    List<Target> targets = targets("""
        encrypt.email = io.rowseal.agent.internal.EncryptedFieldAnnotatorTest$Customer#email
        encrypt.email.length-buckets = 16,64
        """);
    TargetTracker tracker = new TargetTracker(targets);

    Class<?> customer = ClassFiles.define(Customer.class, new EncryptedFieldAnnotator(
        Map.of(Customer.class.getName(), targets), tracker)
        .annotate(internalName(Customer.class), ClassFiles.of(Customer.class), null));

    assertThat(tracker.state(targets.get(0))).isEqualTo(TargetTracker.State.ANNOTATED);
    Encrypted email = field(customer, "email").getAnnotation(Encrypted.class);
    assertThat(email.context()).isEmpty();
    assertThat(email.lengthBuckets()).containsExactly(16, 64);
    assertThat(field(customer, "lastName").getDeclaredAnnotations()).isEmpty();
    assertThat(customer.getDeclaredMethods()).hasSameSizeAs(Customer.class.getDeclaredMethods());
  }
}
