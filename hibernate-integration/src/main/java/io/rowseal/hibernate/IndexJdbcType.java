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
 * The JDBC side of one blind-index column ({@code purpose} 0: equality, k: prefix of k characters).
 * Binding an entity's {@link IndexValue.Source} writes the tag of the searchable attribute's current
 * value under the active index key; extraction reads the stored tag. One instance per column.
 */
final class IndexJdbcType extends SyntheticJdbcType {
  private final SearchIndex index;
  private final int purpose;

  IndexJdbcType(SearchIndex index, int purpose) {
    super("ROWSEAL_BLIND_INDEX");
    this.index = index;
    this.purpose = purpose;
  }

  SearchIndex index() {
    return index;
  }

  int purpose() {
    return purpose;
  }

  @Override
  String what() {
    return "the blind index of " + index.attribute();
  }

  private byte[] bytes(Object value, WrapperOptions options) {
    if (value instanceof IndexValue.Source source) {
      return index.storedTag(options.getSession(), purpose, source.value());
    }
    if (value instanceof IndexValue.Stored stored && stored != IndexValue.Stored.CACHED) {
      return stored.bytes();
    }
    return null;
  }

  @Override
  public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
    return new ValueBinder<>() {
      @Override
      public void bind(PreparedStatement st, X value, int position, WrapperOptions options) throws SQLException {
        byte[] tag = bytes(value, options);
        if (tag == null) {
          st.setNull(position, Types.VARBINARY);
        } else {
          st.setBytes(position, tag);
        }
      }

      @Override
      public void bind(CallableStatement st, X value, String name, WrapperOptions options) throws SQLException {
        byte[] tag = bytes(value, options);
        if (tag == null) {
          st.setNull(name, Types.VARBINARY);
        } else {
          st.setBytes(name, tag);
        }
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
    return new ValueExtractor<>() {
      @Override
      public X extract(ResultSet rs, int position, WrapperOptions options) throws SQLException {
        return (X) stored(rs.getBytes(position));
      }

      @Override
      public X extract(CallableStatement st, int position, WrapperOptions options) throws SQLException {
        return (X) stored(st.getBytes(position));
      }

      @Override
      public X extract(CallableStatement st, String name, WrapperOptions options) throws SQLException {
        return (X) stored(st.getBytes(name));
      }
    };
  }

  /** Never {@code null}, also for SQL NULL: Hibernate compares a null state with anything as dirty. */
  private static IndexValue stored(byte[] bytes) {
    return new IndexValue.Stored(bytes);
  }

  @Override
  public String toString() {
    return "IndexJdbcType(" + index.attribute() + (purpose == 0 ? "" : ", prefix " + purpose) + ")";
  }
}
