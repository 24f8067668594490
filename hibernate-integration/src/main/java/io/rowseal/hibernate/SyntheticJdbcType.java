package io.rowseal.hibernate;

import java.sql.Types;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.JdbcLiteralFormatter;
import org.hibernate.type.descriptor.jdbc.JdbcType;

/**
 * The JDBC side of a synthetic binary column rowseal adds (row footer, blind index): {@code VARBINARY},
 * not comparable, and without a literal form.
 */
abstract class SyntheticJdbcType implements JdbcType {
  private final String friendlyName;

  SyntheticJdbcType(String friendlyName) {
    this.friendlyName = friendlyName;
  }

  /** What the column holds, for messages: "the row signature of Customer". */
  abstract String what();

  @Override
  public int getJdbcTypeCode() {
    return Types.VARBINARY;
  }

  @Override
  public String getFriendlyName() {
    return friendlyName;
  }

  @Override
  public boolean isComparable() {
    return false;
  }

  @Override
  public Class<?> getPreferredJavaTypeClass(WrapperOptions options) {
    return byte[].class;
  }

  @Override
  public <T> JdbcLiteralFormatter<T> getJdbcLiteralFormatter(JavaType<T> javaType) {
    return (appender, value, dialect, options) -> {
      throw new IllegalStateException(what() + " has no literal form");
    };
  }
}
