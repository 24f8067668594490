package io.rowseal.bootit;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.transaction.annotation.Transactional;

/**
 * A {@code @DataJpaTest} (the annotation is each line's own: see the subclass in each module): rowseal
 * runs in the slice, on the in-memory KMS, without the test configuring one, and says so once.
 */
@Transactional
abstract class DataJpaTestBase {
  @Autowired
  PatientRepository patients;
  @Autowired
  EntityManager entityManager;
  @Autowired
  EntityManagerFactory entityManagerFactory;

  @Test
  void dataJpaTest_withoutRowsealKms_usesTheInMemoryKmsAndSaysSoInOneLine(CapturedOutput output) {
    assertThat(entityManagerFactory.getProperties().get("rowseal.kms")).isInstanceOf(io.rowseal.kms.InMemoryCmkProvider.class);
    assertThat(output.getAll().lines().filter(l -> l.contains("in-memory KMS"))).singleElement()
        .asString().contains("INFO").contains("Spring test context without rowseal.kms");
  }

  @Test
  void repository_savesEncryptedAndReadsBack() {
    long id = patients.save(new Patient("Dee", "migraine")).getId();
    entityManager.flush();
    entityManager.clear();

    byte[] stored = (byte[]) entityManager.createNativeQuery("select diagnosis from rsboot_patient where id = ?1")
        .setParameter(1, id).getSingleResult();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("migraine");
    assertThat(patients.findById(id)).get().extracting(Patient::getDiagnosis).isEqualTo("migraine");
  }
}
