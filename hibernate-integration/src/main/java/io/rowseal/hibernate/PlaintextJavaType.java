package io.rowseal.hibernate;

import org.hibernate.sql.ast.spi.SqlAppender;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.PrimitiveByteArrayJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;

/**
 * The relational type of an encrypted attribute: the plaintext encoding of its value, which only ever
 * travels from {@link EncryptingConverter} to its {@link EncryptedJdbcType}. It recommends that JDBC
 * type, and it refuses every conversion a standard JDBC type would use, so that no path can write the
 * plaintext encoding to the database or render it into SQL or a log.
 */
final class PlaintextJavaType extends PrimitiveByteArrayJavaType {
  private final EncryptedJdbcType jdbcType;

  PlaintextJavaType(EncryptedJdbcType jdbcType) {
    this.jdbcType = jdbcType;
  }

  @Override
  public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
    return jdbcType;
  }

  @Override
  public <X> X unwrap(byte[] value, Class<X> type, WrapperOptions options) {
    throw refused();
  }

  @Override
  public <X> byte[] wrap(X value, WrapperOptions options) {
    throw refused();
  }

  @Override
  public String toString(byte[] bytes) {
    throw refused();
  }

  @Override
  public void appendString(SqlAppender appender, byte[] bytes) {
    throw refused();
  }

  @Override
  public void appendString(StringBuilder appender, byte[] bytes) {
    throw refused();
  }

  @Override
  public byte[] fromString(CharSequence string) {
    throw refused();
  }

  @Override
  public String extractLoggableRepresentation(byte[] value) {
    return value == null ? "null" : "(encrypted)";
  }

  private IllegalStateException refused() {
    return new IllegalStateException(jdbcType + ": the plaintext of an @Encrypted attribute must only be "
        + "bound through rowseal's JDBC type (is an explicit @JdbcType/@JdbcTypeCode on the attribute?)");
  }
}
