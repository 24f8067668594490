package io.rowseal.hibernate;

import static io.rowseal.hibernate.Causes.assertBootFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.Encrypted;
import io.rowseal.Signed;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.time.Duration;
import java.util.Map;
import org.hibernate.annotations.DynamicInsert;
import org.hibernate.annotations.DynamicUpdate;
import org.junit.jupiter.api.Test;

/** Mappings a row signature cannot cover fail the boot, naming entity and attribute. */
class RowSignatureBootTest {

  @Entity(name = "SignedId")
  static class SignedId {
    @Id @Signed Long id;
    @Encrypted String secret;
  }

  @Entity(name = "SignedAndEncrypted")
  static class SignedAndEncrypted {
    @Id Long id;
    @Signed @Encrypted String secret;
  }

  @Entity(name = "SignedAssociation")
  static class SignedAssociation {
    @Id Long id;
    @Encrypted String secret;
    @ManyToOne @Signed Account account;
  }

  @Entity(name = "SignedDuration")
  static class SignedDuration {
    @Id Long id;
    @Encrypted String secret;
    @Signed Duration duration;
  }

  @Entity(name = "SignedWithoutEncrypted")
  static class SignedWithoutEncrypted {
    @Id Long id;
    @Signed String label;
  }

  @Entity(name = "DynamicUpdateEntity")
  @DynamicUpdate
  static class DynamicUpdateEntity {
    @Id Long id;
    @Encrypted String secret;
  }

  @Entity(name = "ReadOnlySecret")
  static class ReadOnlySecret {
    @Id Long id;
    @Encrypted @Column(updatable = false) String secret;
  }

  @Entity(name = "SharedName")
  static class SharedName {
    @Id Long id;
    @Encrypted(context = "shared") String one;
    @Signed(context = "shared") String two;
  }

  @Entity(name = "ClashingColumn")
  static class ClashingColumn {
    @Id Long id;
    @Encrypted String secret;
    @Column(name = "rowseal_sig") String mine;
  }

  @Entity(name = "DynamicInsertEntity")
  @DynamicInsert
  static class DynamicInsertEntity {
    @Id Long id;
    @Encrypted String secret;
    @Signed String label;
  }

  @Test
  void boot_signedId_fails() {
    assertBootFails(SignedId.class, "RS-4005", "@Signed on SignedId.id", "the id is always signed");
  }

  @Test
  void boot_signedAndEncrypted_fails() {
    assertBootFails(SignedAndEncrypted.class, "RS-4005", "SignedAndEncrypted.secret", "also @Encrypted");
  }

  @Test
  void boot_signedAssociation_fails() {
    assertBootFails(SignedAssociation.class, "RS-4005", "SignedAssociation.account", "an association");
  }

  @Test
  void boot_signedTypeWithoutEncoding_fails() {
    assertBootFails(SignedDuration.class, "RS-4005", "SignedDuration.duration", "java.time.Duration");
  }

  @Test
  void boot_signedInEntityWithoutEncryptedAttributes_fails() {
    assertBootFails(SignedWithoutEncrypted.class, "RS-4005", "SignedWithoutEncrypted.label",
        "without @Encrypted attributes");
  }

  @Test
  void boot_dynamicUpdate_failsSayingWhy() {
    assertBootFails(DynamicUpdateEntity.class, "RS-4006", "entity DynamicUpdateEntity cannot carry a row "
        + "signature: it is @DynamicUpdate", "rowseal.row-signature=false");
  }

  @Test
  void boot_encryptedAttributeNotUpdatable_fails() {
    assertBootFails(ReadOnlySecret.class, "RS-4006", "ReadOnlySecret", "secret is not written with every row write");
  }

  @Test
  void boot_twoAttributesShareALogicalName_fails() {
    assertBootFails(SharedName.class, "RS-4006", "share the logical name 'shared'");
  }

  @Test
  void boot_footerColumnNameTaken_fails() {
    assertBootFails(ClashingColumn.class, "RS-4006", "already has a column rowseal_sig",
        "rowseal.row-signature.column");
  }

  @Test
  void boot_rowSignatureOff_dynamicUpdateAndSignedAreAccepted() {
    Map<String, Object> off = Map.of(RowsealSettings.ROW_SIGNATURE, "false");
    try (Jpa jpa = Jpa.start(TestDatabase.H2, off, DynamicUpdateEntity.class, SignedWithoutEncrypted.class)) {
      assertThat(jpa.sessionFactory.isOpen()).isTrue();
    }
  }

  @Test
  void persist_dynamicInsertEntity_writesItsFooter() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, DynamicInsertEntity.class)) {
      DynamicInsertEntity e = new DynamicInsertEntity();
      e.id = 1L;
      e.label = "signed";
      jpa.inTransaction(s -> s.persist(e));

      assertThat(jpa.raw("select rowseal_sig, secret from " + jpa.table("DynamicInsertEntity")).get(0))
          .containsEntry("secret", null).extractingByKey("rowseal_sig").isNotNull();
      assertThat(jpa.fromTransaction(s -> s.find(DynamicInsertEntity.class, 1L)).label).isEqualTo("signed");
    }
  }
}
