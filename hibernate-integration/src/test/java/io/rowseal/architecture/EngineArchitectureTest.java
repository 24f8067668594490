package io.rowseal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The engine never imports Hibernate or JPA: only {@code io.rowseal.hibernate} may. */
class EngineArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rowseal");

  @Test
  void enginePackages_importNoHibernateOrJpaClass() {
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("io.rowseal.hibernate..")
        .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..", "javax.persistence..")
        .because("the engine (crypto, kms, keystore, envelope) must work without Hibernate");
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
  void engineClasses_exist() {
    // Guards the rule above against vacuously passing on an empty import.
    org.assertj.core.api.Assertions.assertThat(MAIN.stream()
        .filter(c -> c.getPackageName().startsWith("io.rowseal.envelope")).count()).isGreaterThan(3);
  }
}
