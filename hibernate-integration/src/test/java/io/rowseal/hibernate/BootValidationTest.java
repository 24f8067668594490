package io.rowseal.hibernate;

import static io.rowseal.hibernate.Causes.assertBootFails;

import io.rowseal.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Type;
import org.hibernate.type.SqlTypes;
import org.hibernate.usertype.UserType;
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

  @Entity(name = "EncryptedJson")
  static class EncryptedJson {
    @Id Long id;
    @Encrypted @JdbcTypeCode(SqlTypes.JSON) Map<String, String> settings;
  }

  @Entity(name = "EncryptedUserType")
  static class EncryptedUserType {
    @Id Long id;
    @Encrypted @Type(UpperCaseType.class) String code;
  }

  /** A UserType writes its own JDBC values, out of rowseal's reach. */
  public static class UpperCaseType implements UserType<String> {
    @Override public int getSqlType() {
      return java.sql.Types.VARCHAR;
    }
    @Override public Class<String> returnedClass() {
      return String.class;
    }
    @Override public String nullSafeGet(java.sql.ResultSet rs, int position,
        org.hibernate.engine.spi.SharedSessionContractImplementor session, Object owner)
        throws java.sql.SQLException {
      return rs.getString(position);
    }
    @Override public void nullSafeSet(java.sql.PreparedStatement st, String value, int index,
        org.hibernate.engine.spi.SharedSessionContractImplementor session) throws java.sql.SQLException {
      st.setString(index, value == null ? null : value.toUpperCase(java.util.Locale.ROOT));
    }
    @Override public String deepCopy(String value) {
      return value;
    }
    @Override public boolean isMutable() {
      return false;
    }
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
  void boot_encryptedUserType_failsAskingForAConverter() {
    assertBootFails(EncryptedUserType.class, "RS-4001", "EncryptedUserType.code", "UserType (@Type)",
        "AttributeConverter");
  }

  @Test
  void boot_unsupportedJdbcType_failsNamingTheTypeAndListingTheSupportedOnes() {
    assertBootFails(EncryptedJson.class, "RS-4002", "EncryptedJson.settings (@JdbcTypeCode)", "java.util.Map", "JSON",
        "supports: String");
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
