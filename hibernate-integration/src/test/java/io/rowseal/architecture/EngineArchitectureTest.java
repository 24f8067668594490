package io.rowseal.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.rowseal.RowsealException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

/**
 * The engine never imports Hibernate or JPA: only {@code io.rowseal.hibernate} may, and
 * {@link RowsealException}, which extends {@link HibernateException} so that frameworks translate
 * rowseal's failures inside Hibernate operations (docs/ERRORS.md).
 */
class EngineArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rowseal");

  @Test
  void enginePackages_importNoHibernateOrJpaClass() {
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("io.rowseal.hibernate..")
        // glue like io.rowseal.hibernate: binds a session factory's counters to Micrometer
        .and().resideOutsideOfPackage("io.rowseal.micrometer..")
        // glue too: the Spring Boot auto-configuration finds the session factories of the context
        .and().resideOutsideOfPackage("io.rowseal.spring..")
        .and().doNotHaveFullyQualifiedName(RowsealException.class.getName())
        .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..", "javax.persistence..")
        .because("the engine (crypto, kms, keystore, envelope) must work without Hibernate");
    rule.check(MAIN);
  }

  @Test
  void rowsealException_namesNoHibernateTypeButItsSuperclass() {
    ArchRule rule = noClasses()
        .that().haveFullyQualifiedName(RowsealException.class.getName())
        .should().dependOnClassesThat(resideInAnyPackage("org.hibernate..", "jakarta.persistence..", "javax.persistence..")
            .and(not(equivalentTo(HibernateException.class))))
        .because("the exception base is the engine's one link to Hibernate, and only through its superclass");
    rule.check(MAIN);
    assertThat(jakarta.persistence.PersistenceException.class).isAssignableFrom(RowsealException.class);
  }

  @Test
  void springTypes_stayInTheSpringPackage() {
    // every Spring dependency is optional: a class outside io.rowseal.spring naming one would fail without Spring
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("io.rowseal.spring..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
        .because("Spring Boot support is optional: only io.rowseal.spring may use Spring");
    rule.check(MAIN);
  }

  @Test
  void awsSdkTypes_stayInTheAwsKmsPackage() {
    // the SDK is an optional dependency: a class outside io.rowseal.kms.aws naming one would fail without it
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("io.rowseal.kms.aws..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
        .because("rowseal.kms=aws is optional: only io.rowseal.kms.aws may use the AWS SDK");
    rule.check(MAIN);
  }

  @Test
  void micrometerTypes_stayInTheMicrometerPackage() {
    // micrometer-core is an optional dependency: a class outside io.rowseal.micrometer naming one would fail
    // without it
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("io.rowseal.micrometer..")
        // the Spring Boot auto-configuration declares the MeterBinder bean, only when Micrometer is there
        .and().resideOutsideOfPackage("io.rowseal.spring..")
        .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..")
        .because("Micrometer is optional: only io.rowseal.micrometer may use it");
    rule.check(MAIN);
  }

  @Test
  void engineClasses_exist() {
    // Guards the rule above against vacuously passing on an empty import.
    org.assertj.core.api.Assertions.assertThat(MAIN.stream()
        .filter(c -> c.getPackageName().startsWith("io.rowseal.envelope")).count()).isGreaterThan(3);
  }
}
