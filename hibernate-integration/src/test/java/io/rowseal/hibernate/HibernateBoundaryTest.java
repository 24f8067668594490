package io.rowseal.hibernate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Only {@code io.rowseal.hibernate} may depend on Hibernate or JPA; the engine stays independent. */
class HibernateBoundaryTest {

  @Test
  void engine_outsideTheHibernatePackage_importsNeitherHibernateNorJpa() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.rowseal");

    noClasses().that().resideOutsideOfPackage("io.rowseal.hibernate..")
        .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..")
        .check(classes);
  }
}
