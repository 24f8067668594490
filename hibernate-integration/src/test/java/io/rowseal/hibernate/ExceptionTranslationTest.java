package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.RowsealException;
import io.rowseal.testing.TestDatabase;
import jakarta.persistence.PersistenceException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

/**
 * rowseal's failures inside Hibernate operations are {@link HibernateException}s, so Spring's repository
 * proxies translate them into {@link DataAccessException}s (instead of letting a bare runtime exception
 * through), while callers catching {@link RowsealException} and reading its code keep working.
 */
class ExceptionTranslationTest {

  @Test
  void tamperedValue_readThroughHibernate_isAPersistenceExceptionSpringTranslates() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      jpa.inTransaction(s -> s.persist(Samples.typical(5)));
      String table = jpa.table("sample");
      byte[] stored = (byte[]) jpa.raw("select email from " + table + " where id = 5").get(0).get("email");
      stored[stored.length - 20] ^= 0x01;
      jpa.rawUpdate("update " + table + " set email = ? where id = 5", stored);

      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.find(Sample.class, 5L)));

      assertThat(thrown).isInstanceOf(EncryptedReadException.class).isInstanceOf(RowsealException.class)
          .isInstanceOf(HibernateException.class).isInstanceOf(PersistenceException.class);
      assertThat(((RowsealException) thrown).code()).isEqualTo("RS-4201");
      assertTranslated((RuntimeException) thrown, "RS-4201");
    }
  }

  @Test
  void comparisonWithUnsearchableEncryptedAttribute_isAPersistenceExceptionSpringTranslates() {
    try (Jpa jpa = Jpa.start(TestDatabase.H2, Sample.class)) {
      Throwable thrown = catchThrowable(() -> jpa.inTransaction(s -> s.createSelectionQuery(
          "from Sample s where s.email = 'a@example.com'", Sample.class).getResultList()));

      RowsealException e = Causes.find(thrown, RowsealException.class);
      assertThat(e.code()).isEqualTo("RS-4405");
      assertThat(e).isInstanceOf(EncryptedQueryException.class).isInstanceOf(PersistenceException.class);
      assertTranslated((RuntimeException) thrown, "RS-4405");
    }
  }

  @Test
  void everyRowsealException_isAHibernateException() {
    assertThat(HibernateException.class).isAssignableFrom(RowsealException.class);
    for (Class<?> type : new Class<?>[] {EncryptedReadException.class, EncryptedWriteException.class,
        EncryptedQueryException.class, EncryptedMappingException.class, MigrationException.class,
        io.rowseal.kms.KmsException.class, io.rowseal.keystore.KeyStoreException.class}) {
      assertThat(RowsealException.class).as(type.getSimpleName()).isAssignableFrom(type);
    }
  }

  /** Both of Spring's paths (the Hibernate dialect and plain JPA) give a DataAccessException with the RS code. */
  private static void assertTranslated(RuntimeException thrown, String code) {
    DataAccessException byDialect = new HibernateJpaDialect().translateExceptionIfPossible(thrown);
    DataAccessException byJpa = EntityManagerFactoryUtils.convertJpaAccessExceptionIfPossible(thrown);
    for (DataAccessException translated : new DataAccessException[] {byDialect, byJpa}) {
      assertThat(translated).isNotNull().hasMessageContaining(code);
      assertThat(Causes.find(translated, RowsealException.class).code()).isEqualTo(code);
    }
  }
}
