package io.rowseal.hibernate;

import io.rowseal.IntegrityException;
import io.rowseal.KeyDestroyedException;
import io.rowseal.envelope.Envelope;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.JdbcLiteralFormatter;
import org.hibernate.type.descriptor.jdbc.JdbcType;

/**
 * The JDBC side of one encrypted attribute: binds the plaintext encoding of a value (from
 * {@link EncryptingConverter}) as its envelope ciphertext, and extracts ciphertext as plaintext. One
 * instance per attribute, because the attribute's logical name is part of every value's AAD.
 *
 * <p>It refuses to render a literal: a randomized value can never equal one. {@code null} is bound as
 * SQL {@code NULL}. Thread-safe once booted: the attribute is attached at boot, the {@link RowWrites}
 * when the session factory starts.
 */
final class EncryptedJdbcType implements JdbcType {
  private final StorageForm form;
  private final AttributeCodec codec;
  private volatile EncryptedAttribute attribute;
  private volatile RowWrites rowWrites;
  private volatile RowIdLookup rowIdLookup;
  private volatile LoadedRows loaded;
  private volatile LegacyPlaintext legacy;
  private volatile SearchIndex search;

  EncryptedJdbcType(StorageForm form, AttributeCodec codec) {
    this.form = form;
    this.codec = codec;
  }

  StorageForm form() {
    return form;
  }

  AttributeCodec codec() {
    return codec;
  }

  /** The blind index of a {@code @Searchable} attribute, or {@code null}. */
  SearchIndex search() {
    return search;
  }

  void search(SearchIndex search) {
    this.search = search;
  }

  EncryptedAttribute attribute() {
    EncryptedAttribute a = attribute;
    if (a == null) {
      throw new IllegalStateException("encrypted attribute was never attached: is "
          + EncryptedMappingContributor.class.getName() + " registered as a Hibernate service?");
    }
    return a;
  }

  void attach(EncryptedAttribute attribute) {
    this.attribute = attribute;
  }

  void start(RowWrites rowWrites, RowIdLookup rowIdLookup, LoadedRows loaded, LegacyPlaintext legacy) {
    this.rowWrites = rowWrites;
    this.rowIdLookup = rowIdLookup;
    this.loaded = loaded;
    this.legacy = legacy;
  }

  RowWrites rowWrites() {
    RowWrites r = rowWrites;
    if (r == null) {
      throw new IllegalStateException("rowseal was not started for " + attribute()
          + ": is " + RowsealIntegrator.class.getName() + " registered as a Hibernate service?");
    }
    return r;
  }

  @Override
  public int getJdbcTypeCode() {
    return form.sqlType;
  }

  @Override
  public String getFriendlyName() {
    return "ENCRYPTED_" + form;
  }

  // Ciphertext is neither a string nor ordered, also in text form: Hibernate then rejects LIKE,
  // string functions and min/max/comparison functions on the attribute while checking the query.
  @Override
  public boolean isString() {
    return false;
  }

  // A searchable attribute's like reaches SearchRewrite, which answers like 'x%' through a prefix index
  // or says what to declare (RS-4403); string functions stay refused by Hibernate (isString is false).
  @Override
  public boolean isStringLike() {
    return search != null;
  }

  @Override
  public boolean isStringLikeExcludingClob() {
    return false;
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
      throw new EncryptedQueryException("RS-4401", attribute() + " is @Encrypted and cannot be compared "
          + "with a literal: randomized encryption stores every value differently. Query by another "
          + "attribute, or bind a parameter in an UPDATE's SET clause");
    };
  }

  @Override
  public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
    return new ValueBinder<>() {
      @Override
      public void bind(PreparedStatement st, X value, int index, WrapperOptions options)
          throws SQLException {
        if (value == null) {
          st.setNull(index, form.sqlType);
        } else if (form == StorageForm.BINARY) {
          st.setBytes(index, seal((byte[]) value, options));
        } else {
          st.setString(index, Envelope.toText(seal((byte[]) value, options)));
        }
      }

      @Override
      public void bind(CallableStatement st, X value, String name, WrapperOptions options)
          throws SQLException {
        if (value == null) {
          st.setNull(name, form.sqlType);
        } else if (form == StorageForm.BINARY) {
          st.setBytes(name, seal((byte[]) value, options));
        } else {
          st.setString(name, Envelope.toText(seal((byte[]) value, options)));
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
        return (X) (form == StorageForm.BINARY
            ? open(rs.getBytes(index), null, options)
            : open(null, rs.getString(index), options));
      }

      @Override
      public X extract(CallableStatement st, int index, WrapperOptions options) throws SQLException {
        return (X) (form == StorageForm.BINARY
            ? open(st.getBytes(index), null, options)
            : open(null, st.getString(index), options));
      }

      @Override
      public X extract(CallableStatement st, String name, WrapperOptions options) throws SQLException {
        return (X) (form == StorageForm.BINARY
            ? open(st.getBytes(name), null, options)
            : open(null, st.getString(name), options));
      }
    };
  }

  private byte[] seal(byte[] plaintext, WrapperOptions options) {
    EncryptedAttribute a = attribute();
    if (plaintext.length > a.capacity()) {
      throw new EncryptedWriteException("RS-4103", a, "the value needs " + plaintext.length
          + " bytes but the column is sized for " + a.capacity() + " (raise @Column(length/precision))",
          null);
    }
    byte[] stored;
    try {
      stored = a.signed()
          ? rowWrites().sealed(plaintext, a, options.getSession())
          : rowWrites().seal(plaintext, a, options.getSession());
    } catch (RuntimeException e) {
      throw new EncryptedWriteException("RS-4101", a, "encryption failed: " + e.getMessage(), e);
    }
    if (stored == null) {
      throw new EncryptedQueryException("RS-4402", a + " belongs to a signed row, so only an insert or update "
          + "of its entity can write it: a value bound anywhere else (a query parameter, a bulk or native "
          + "UPDATE) would break its row's signature, and could never equal a stored value. Change the "
          + "entity through the session instead; to find rows by this attribute, declare it @Searchable "
          + "(docs/SEARCH.md)");
    }
    return stored;
  }

  /** Decrypts a stored value given as bytes or as text; {@code null} stays {@code null}. */
  private byte[] open(byte[] stored, String text, WrapperOptions options) {
    if (stored == null && text == null) {
      return null;
    }
    EncryptedAttribute a = attribute();
    LegacyPlaintext transition = legacy;
    if (transition != null && (stored != null ? !Envelope.isValue(stored) : !Envelope.isText(text))
        && transition.readable(options.getSession())) {
      return legacyPlaintext(a, stored, text, options);
    }
    try {
      byte[] bytes = stored != null ? stored : Envelope.fromText(text);
      Envelope.Opened opened = rowWrites().open(bytes, a);
      LoadedRows l = loaded;
      if (l != null) {
        l.value(options.getSession(), opened.dekId(), a.context(), bytes, opened.plaintext());
      }
      return opened.plaintext();
    } catch (KeyDestroyedException e) {
      throw new EncryptedReadException("RS-4202", a, rowId(options, stored, text),
          "its key was destroyed: " + e.getMessage(), e);
    } catch (IntegrityException e) {
      throw rowWrites().readFailures().seen(new EncryptedReadException("RS-4201", a, rowId(options, stored, text),
          "the stored value does not verify (altered, moved from another row or attribute, or "
              + "written under a key this store does not hold): " + e.getMessage(), e));
    }
  }

  /** A legacy plaintext value, where transition reads are on: its encoding, as if it had been encrypted. */
  private byte[] legacyPlaintext(EncryptedAttribute a, byte[] stored, String text, WrapperOptions options) {
    byte[] plaintext;
    try {
      plaintext = codec.legacy(stored, text);
    } catch (IllegalArgumentException | ClassCastException | org.hibernate.HibernateException e) {
      throw new EncryptedReadException("RS-4206", a, rowId(options, stored, text), "the stored value is "
          + "neither a rowseal value nor a plaintext of the column's type (" + e.getMessage() + ")", null);
    }
    legacy.read(a);
    LoadedRows l = loaded;
    if (l != null) {
      l.legacy(options.getSession(), a.context(), plaintext);
    }
    return plaintext;
  }

  private String rowId(WrapperOptions options, byte[] stored, String text) {
    RowIdLookup lookup = rowIdLookup;
    return lookup == null ? null : lookup.find(options.getSession(), stored != null ? stored : text);
  }

  @Override
  public String toString() {
    EncryptedAttribute a = attribute;
    return "EncryptedJdbcType(" + (a == null ? "unattached" : a.qualifiedName()) + ", " + form + ")";
  }
}
