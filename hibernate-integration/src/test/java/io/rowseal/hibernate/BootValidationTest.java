package io.rowseal.hibernate;

import static io.rowseal.hibernate.Causes.assertBootFails;

import io.rowseal.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;
import java.time.Duration;
import java.util.List;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.OptimisticLockType;
import org.hibernate.annotations.OptimisticLocking;
import org.junit.jupiter.api.Test;

/** {@code @Encrypted} where it cannot work fails the boot, naming entity and attribute. */
class BootValidationTest {

  @Entity(name = "EncryptedId")
  static class EncryptedId {
    @Id @Encrypted Long id;
  }

  @Entity(name = "EncryptedVersion")
  static class EncryptedVersion {
    @Id Long id;
    @Version @Encrypted int version;
  }

  @Entity(name = "EncryptedAssociation")
  static class EncryptedAssociation {
    @Id Long id;
    @ManyToOne @Encrypted Account account;
  }

  @Entity(name = "EncryptedCollection")
  static class EncryptedCollection {
    @Id Long id;
    @ElementCollection @Encrypted List<String> tags;
  }

  @Entity(name = "EncryptedEnumerated")
  static class EncryptedEnumerated {
    @Id Long id;
    @Enumerated(EnumType.STRING) @Encrypted Tier tier;
  }

  @Entity(name = "EncryptedDuration")
  static class EncryptedDuration {
    @Id Long id;
    @Encrypted Duration duration;
  }

  @Entity(name = "EncryptedUnique")
  static class EncryptedUnique {
    @Id Long id;
    @Encrypted @Column(unique = true) String email;
  }

  @Entity(name = "EncryptedOptimisticAll")
  @OptimisticLocking(type = OptimisticLockType.ALL)
  @DynamicUpdate
  static class EncryptedOptimisticAll {
    @Id Long id;
    @Encrypted String email;
  }

  @Embeddable
  static class Key {
    Long part;
    @Encrypted String secret;
  }

  @Entity(name = "EncryptedEmbeddedId")
  static class EncryptedEmbeddedId {
    @EmbeddedId Key key;
  }

  @Test
  void boot_encryptedId_failsNamingEntityAndAttribute() {
    assertBootFails(EncryptedId.class, "RS-4001", "@Encrypted on EncryptedId.id", "an @Id");
  }

  @Test
  void boot_encryptedVersion_fails() {
    assertBootFails(EncryptedVersion.class, "RS-4001", "EncryptedVersion.version", "a @Version");
  }

  @Test
  void boot_encryptedAssociation_fails() {
    assertBootFails(EncryptedAssociation.class, "RS-4001", "EncryptedAssociation.account", "an association");
  }

  @Test
  void boot_encryptedCollection_fails() {
    assertBootFails(EncryptedCollection.class, "RS-4001", "EncryptedCollection.tags", "a collection");
  }

  @Test
  void boot_encryptedAndEnumerated_failsAskingToRemoveEnumerated() {
    assertBootFails(EncryptedEnumerated.class, "RS-4001", "EncryptedEnumerated.tier", "remove @Enumerated");
  }

  @Test
  void boot_unsupportedType_failsListingTheSupportedTypes() {
    assertBootFails(EncryptedDuration.class, "RS-4002", "EncryptedDuration.duration", "java.time.Duration");
  }

  @Test
  void boot_uniqueEncryptedColumn_fails() {
    assertBootFails(EncryptedUnique.class, "RS-4004", "EncryptedUnique.email", "unique");
  }

  @Test
  void boot_optimisticLockingOnAllColumns_fails() {
    assertBootFails(EncryptedOptimisticAll.class, "RS-4003", "EncryptedOptimisticAll", "ALL");
  }

  @Test
  void boot_encryptedPartOfEmbeddedId_fails() {
    assertBootFails(EncryptedEmbeddedId.class, "RS-4001", "EncryptedEmbeddedId.key.secret", "part of an @Id");
  }
}
