package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import org.hibernate.dialect.Dialect;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.type.BasicType;
import org.hibernate.type.CustomType;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.JdbcTypeNameMapper;
import org.hibernate.type.descriptor.converter.spi.BasicValueConverter;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry;

/**
 * Binds one {@code @Encrypted} attribute, after Hibernate has resolved its mapping with every annotation
 * the application put on it ({@code @Enumerated}, {@code @Convert}, {@code @Temporal}, {@code @Lob},
 * {@code @JdbcTypeCode}, {@code @Column}, …): rowseal keeps that resolution's Java side and converter
 * and puts its own JDBC type, one per attribute, underneath. The attribute's value is then encrypted in
 * the form Hibernate would have stored ({@link AttributeCodec}), and its column is resized for
 * ciphertext and stripped of the check constraint its plaintext type implied.
 *
 * <p>It uses only boot-model operations that every supported line has ({@code BasicValue.copy()},
 * {@code setExplicitJdbcTypeAccess}, {@code resolve()}, {@code copyTypeFrom}), so no adapter per line is
 * needed for the binding itself.
 */
final class EncryptedBinding {
  /** JPA's default {@code @Column(length)}. */
  private static final long DEFAULT_LENGTH = 255;
  /** Hibernate's default length of a {@code @Lob} column ({@code org.hibernate.Length.LOB_DEFAULT}). */
  private static final long LOB_DEFAULT_LENGTH = 1_048_576;

  private EncryptedBinding() {}

  /** Binds {@code f} as an encrypted attribute; a second call for the same model does nothing. */
  static void bind(EncryptedMappings.Found f, RowsealSettings settings, Dialect dialect, DdlTypeRegistry ddl,
      boolean signed) {
    if (f.bound()) {
      return;
    }
    BasicValue value = f.value();
    BasicValue.Resolution<?> plain = value.getResolution() != null ? value.getResolution() : value.resolve();
    AttributeCodec codec = codec(f, plain);
    Column column = (Column) value.getColumn();
    String declared = column.getSqlType();
    StorageForm form = StorageForm.ofColumnDefinition(declared);
    boolean lob = isLob(plain.getJdbcType().getDefaultSqlTypeCode());
    long length = column.getLength() != null ? column.getLength() : lob ? LOB_DEFAULT_LENGTH : DEFAULT_LENGTH;
    int precision = column.getPrecision() == null ? dialect.getDefaultDecimalPrecision() : column.getPrecision();
    int capacity = codec.maxLength(length, precision);
    int width = form.width(capacity, settings.sizingKeyId());
    EncryptedJdbcType jdbcType = new EncryptedJdbcType(form, codec);
    jdbcType.attach(new EncryptedAttribute(f.entity().getJpaEntityName(), f.path(), context(f),
        value.getTable().getName(), column.getName(), capacity, width, settings.branchKeyId(), signed));
    EncryptedResolution encrypted = new EncryptedResolution(plain,
        new EncryptingConverter(plain.getDomainJavaType(), codec, jdbcType));

    String plainCheck = plain.getLegacyResolvedBasicType().getCheckCondition(column.getQuotedName(dialect),
        dialect);
    // A copy of the attribute's value that resolves to rowseal's resolution; copyTypeFrom then hands that
    // resolution to the value itself, so every reference to it (property, column, table) stays valid.
    BasicValue carrier = new BasicValue(value) {
      @Override
      protected Resolution<?> buildResolution() {
        return encrypted;
      }
    };
    carrier.resolve();
    value.copyTypeFrom(carrier);

    HibernateLine.removeCheck(column, plainCheck);
    HibernateLine.retype(column, form.sqlType);
    column.setLength((long) width);
    column.setPrecision(null);
    column.setScale(null);
    if (declared == null) {
      // Hibernate sizes the column of a temporal attribute without its length (Column.calculateColumnSize),
      // so the DDL type is spelled out: VARBINARY(width) as the dialect names it.
      column.setSqlType(ddl.getTypeName(form.sqlType, (long) width, null, null));
    }
  }

  /** How the attribute's values become bytes, given the mapping Hibernate resolved for it. */
  static AttributeCodec codec(EncryptedMappings.Found f, BasicValue.Resolution<?> plain) {
    AttributeCodec codec = unpadded(f, plain);
    io.rowseal.Encrypted declared = EncryptedMappings.annotation(f.owner(), f.property().getName(),
        io.rowseal.Encrypted.class);
    if (declared == null || declared.lengthBuckets().length == 0) {
      return codec;
    }
    try {
      return codec.padded(declared.lengthBuckets());
    } catch (IllegalArgumentException e) {
      throw new EncryptedMappingException("RS-4007", "@Encrypted attribute " + f.entity().getJpaEntityName() + "."
          + f.path() + ": " + e.getMessage(), e);
    }
  }

  private static AttributeCodec unpadded(EncryptedMappings.Found f, BasicValue.Resolution<?> plain) {
    BasicType<?> type = plain.getLegacyResolvedBasicType();
    if (type instanceof CustomType<?>) {
      throw refused(f, "mapped by a UserType" + mappedBy(f), "rowseal cannot see the values a UserType writes "
          + "itself; map it with an AttributeConverter (@Convert) instead");
    }
    BasicValueConverter<?, ?> converter = plain.getValueConverter();
    JavaType<?> bound = plain.getRelationalJavaType();
    Class<?> boundClass = bound.getJavaTypeClass();
    JdbcType jdbcType = plain.getJdbcType();
    JdbcForm legacy = JdbcForm.of(jdbcType.getDefaultSqlTypeCode());
    if (converter == null && boundClass.isEnum()) {
      Enumerated enumerated = EncryptedMappings.annotation(f.owner(), f.property().getName(), Enumerated.class);
      return new AttributeCodec(enumerated != null && enumerated.value() == EnumType.ORDINAL
          ? new OrdinalCodec(boundClass) : new EnumCodec(boundClass.asSubclass(Enum.class)), null, bound, null,
          legacy);
    }
    ValueCodec own = ValueCodec.forType(boundClass);
    if (own != null && !boundClass.isEnum()) {
      return new AttributeCodec(own, converter, bound, null, legacy);
    }
    if (legacy != null) {
      return new AttributeCodec(legacy.codec, converter, bound, legacy, legacy);
    }
    throw new EncryptedMappingException("RS-4002", "@Encrypted attribute " + f.entity().getJpaEntityName()
        + "." + f.path() + mappedBy(f) + " is of type " + boundClass.getName()
        + (converter == null ? "" : " (the database side of its @Convert converter)")
        + ", which Hibernate stores as JDBC type " + JdbcTypeNameMapper.getTypeName(jdbcType.getDefaultSqlTypeCode())
        + " (" + jdbcType.getClass().getSimpleName() + "); rowseal cannot encrypt that: remove the @Encrypted, "
        + "or map the attribute (with @Convert or @JdbcTypeCode) to a type rowseal supports: "
        + ValueCodec.SUPPORTED + ", and any type Hibernate stores as text, a number, a date/time, binary "
        + "or a UUID");
  }

  /** The mapping annotations on the attribute, for messages: {@code " (@JdbcTypeCode, @Lob)"} or "". */
  private static String mappedBy(EncryptedMappings.Found f) {
    java.util.List<String> found = new java.util.ArrayList<>();
    for (String a : MAPPING_ANNOTATIONS) {
      if (EncryptedMappings.annotationNamed(f.owner(), f.property().getName(), a)) {
        found.add("@" + a.substring(a.lastIndexOf('.') + 1));
      }
    }
    return found.isEmpty() ? "" : " (" + String.join(", ", found) + ")";
  }

  private static final java.util.List<String> MAPPING_ANNOTATIONS = java.util.List.of(
      "jakarta.persistence.Enumerated", "jakarta.persistence.Temporal", "jakarta.persistence.Convert",
      "jakarta.persistence.Lob", "org.hibernate.annotations.Type", "org.hibernate.annotations.JavaType",
      "org.hibernate.annotations.JdbcType", "org.hibernate.annotations.JdbcTypeCode");

  private static boolean isLob(int sqlType) {
    return sqlType == SqlTypes.CLOB || sqlType == SqlTypes.NCLOB || sqlType == SqlTypes.BLOB
        || sqlType == SqlTypes.LONG32VARCHAR || sqlType == SqlTypes.LONG32NVARCHAR
        || sqlType == SqlTypes.LONG32VARBINARY;
  }

  private static EncryptedMappingException refused(EncryptedMappings.Found f, String what, String todo) {
    return new EncryptedMappingException("RS-4001", "@Encrypted on " + f.entity().getJpaEntityName() + "."
        + f.path() + " (" + f.entity().getClassName() + ") cannot work: it is " + what + "; " + todo);
  }

  /** The attribute's logical name: {@code @Encrypted(context)}, or {@code Entity.path}. */
  static String context(EncryptedMappings.Found f) {
    Encrypted encrypted = EncryptedMappings.annotation(f.owner(), f.property().getName(), Encrypted.class);
    return encrypted != null && !encrypted.context().isBlank()
        ? encrypted.context()
        : f.entity().getJpaEntityName() + "." + f.path();
  }
}
