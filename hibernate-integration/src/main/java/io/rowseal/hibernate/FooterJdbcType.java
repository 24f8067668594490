package io.rowseal.hibernate;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * The JDBC side of one entity hierarchy's footer column. Binding ignores the attribute's value and
 * writes the footer of the current row write ({@link RowWrites#footer}), whichever position Hibernate
 * binds it at; extraction returns a fresh {@link StoredFooter} and notes it for the load's
 * {@link RowVerifier} ({@link LoadedRows}). One instance per hierarchy; thread-safe once started.
 */
final class FooterJdbcType extends SyntheticJdbcType {
  private final String entityName;
  private volatile RowWrites rowWrites;
  private volatile LoadedRows loaded;

  FooterJdbcType(String entityName) {
    super("ROWSEAL_FOOTER");
    this.entityName = entityName;
  }

  @Override
  String what() {
    return "the row signature of " + entityName;
  }

  String entityName() {
    return entityName;
  }

  void start(RowWrites rowWrites, LoadedRows loaded) {
    this.rowWrites = rowWrites;
    this.loaded = loaded;
  }

  private RowWrites rowWrites() {
    RowWrites r = rowWrites;
    if (r == null) {
      throw new IllegalStateException("rowseal was not started for the row signature of " + entityName
          + ": is " + RowsealIntegrator.class.getName() + " registered as a Hibernate service?");
    }
    return r;
  }

  @Override
  public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
    return new ValueBinder<>() {
      @Override
      public void bind(PreparedStatement st, X value, int index, WrapperOptions options) throws SQLException {
        byte[] footer = rowWrites().footer(options.getSession(), FooterJdbcType.this);
        if (footer == null) {
          st.setNull(index, Types.VARBINARY);
        } else {
          st.setBytes(index, footer);
        }
      }

      @Override
      public void bind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
        byte[] footer = rowWrites().footer(options.getSession(), FooterJdbcType.this);
        if (footer == null) {
          st.setNull(name, Types.VARBINARY);
        } else {
          st.setBytes(name, footer);
        }
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
    return new ValueExtractor<>() {
      @Override
      public X extract(ResultSet rs, int index, WrapperOptions options) throws SQLException {
        return (X) read(rs.getBytes(index), rs, options);
      }

      @Override
      public X extract(CallableStatement st, int index, WrapperOptions options) throws SQLException {
        return (X) read(st.getBytes(index), null, options);
      }

      @Override
      public X extract(CallableStatement st, String name, WrapperOptions options) throws SQLException {
        return (X) read(st.getBytes(name), null, options);
      }
    };
  }

  private StoredFooter read(byte[] bytes, ResultSet rs, WrapperOptions options) {
    StoredFooter footer = StoredFooter.read(bytes);
    LoadedRows l = loaded;
    if (l != null) {
      l.footer(options.getSession(), rs, footer);
    }
    return footer;
  }

  @Override
  public String toString() {
    return "FooterJdbcType(" + entityName + ")";
  }
}
