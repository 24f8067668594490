package io.rowseal.hibernate;

import java.math.BigDecimal;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.hibernate.type.SqlTypes;

/**
 * The value an attribute would have handed to JDBC without rowseal, for attributes whose Java type has
 * no encoding of its own ({@code java.util.Date} with {@code @Temporal}, {@code Calendar}, {@code Byte},
 * {@code Float}, {@code Character}, a converter's or a custom {@code JavaType}'s database form): the
 * attribute's own Java type unwraps a value to the JDBC class its JDBC type binds
 * ({@code String} for {@code VARCHAR}, {@code java.sql.Timestamp} for {@code TIMESTAMP}, …), exactly as
 * Hibernate's own binder does, and rowseal encrypts that value's encoding. Temporal JDBC values are
 * encoded as the {@code java.time} value they denote, so they keep their full precision.
 */
enum JdbcForm {
  TEXT(String.class, StandardCodec.STRING),
  BYTES(byte[].class, StandardCodec.BYTES),
  BOOLEAN(Boolean.class, StandardCodec.BOOLEAN),
  SHORT(Short.class, StandardCodec.SHORT),
  INTEGER(Integer.class, StandardCodec.INT),
  LONG(Long.class, StandardCodec.LONG),
  DOUBLE(Double.class, StandardCodec.DOUBLE),
  DECIMAL(BigDecimal.class, StandardCodec.BIG_DECIMAL),
  UUID(java.util.UUID.class, StandardCodec.UUID),
  DATE(java.sql.Date.class, StandardCodec.LOCAL_DATE) {
    @Override Object toCodec(Object jdbc) {
      return ((java.sql.Date) jdbc).toLocalDate();
    }
    @Override Object fromCodec(Object value) {
      return java.sql.Date.valueOf((LocalDate) value);
    }
  },
  TIME(Time.class, StandardCodec.LOCAL_TIME) {
    @Override Object toCodec(Object jdbc) {
      return ((Time) jdbc).toLocalTime();
    }
    @Override Object fromCodec(Object value) {
      return Time.valueOf((LocalTime) value);
    }
  },
  TIMESTAMP(Timestamp.class, StandardCodec.LOCAL_DATE_TIME) {
    @Override Object toCodec(Object jdbc) {
      return ((Timestamp) jdbc).toLocalDateTime();
    }
    @Override Object fromCodec(Object value) {
      return Timestamp.valueOf((LocalDateTime) value);
    }
  };

  /** The class the attribute's Java type unwraps values to, and wraps them from. */
  final Class<?> jdbcClass;
  final ValueCodec codec;

  JdbcForm(Class<?> jdbcClass, ValueCodec codec) {
    this.jdbcClass = jdbcClass;
    this.codec = codec;
  }

  Object toCodec(Object jdbc) {
    return jdbc;
  }

  Object fromCodec(Object value) {
    return value;
  }

  /**
   * The JDBC value a legacy plaintext column's text stands for ({@code "42"}, {@code "2024-02-29"},
   * {@code "2024-02-29 10:15:30.5"} or with a {@code T}, {@code "true"}/{@code "t"}/{@code "1"}).
   *
   * @throws IllegalArgumentException if it is not one
   */
  Object parse(String text) {
    String t = text.trim();
    try {
      return switch (this) {
        case TEXT -> text;
        case BYTES -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        case BOOLEAN -> switch (t.toLowerCase(java.util.Locale.ROOT)) {
          case "true", "t", "1", "y", "yes" -> Boolean.TRUE;
          case "false", "f", "0", "n", "no" -> Boolean.FALSE;
          default -> throw new IllegalArgumentException("not a boolean");
        };
        case SHORT -> Short.valueOf(t);
        case INTEGER -> Integer.valueOf(t);
        case LONG -> Long.valueOf(t);
        case DOUBLE -> Double.valueOf(t);
        case DECIMAL -> new BigDecimal(t);
        case UUID -> java.util.UUID.fromString(t);
        case DATE -> {
          LocalDate date = LocalDate.parse(t);
          java.sql.Date jdbc = java.sql.Date.valueOf(date);
          yield holds(jdbc.toLocalDate(), date, jdbc);
        }
        case TIME -> Time.valueOf(LocalTime.parse(t));
        case TIMESTAMP -> {
          LocalDateTime dateTime = LocalDateTime.parse(t.replace(' ', 'T'));
          Timestamp jdbc = Timestamp.valueOf(dateTime);
          yield holds(jdbc.toLocalDateTime(), dateTime, jdbc);
        }
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("legacy plaintext is not a " + this + " value ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * {@code jdbc}, if it stands for {@code parsed}: java.sql's dates count days in the Julian calendar before
   * 1582-10-15 and lose the era before year 1, and a legacy date they would shift is refused, not read as another.
   */
  private static Object holds(Object back, Object parsed, Object jdbc) {
    if (!back.equals(parsed)) {
      throw new IllegalArgumentException("a date java.sql cannot hold");
    }
    return jdbc;
  }

  /** The form of values bound as {@code sqlType} ({@link SqlTypes}), or {@code null} if rowseal has none. */
  static JdbcForm of(int sqlType) {
    return switch (sqlType) {
      case SqlTypes.CHAR, SqlTypes.VARCHAR, SqlTypes.LONGVARCHAR, SqlTypes.LONG32VARCHAR, SqlTypes.NCHAR,
          SqlTypes.NVARCHAR, SqlTypes.LONGNVARCHAR, SqlTypes.LONG32NVARCHAR, SqlTypes.CLOB, SqlTypes.NCLOB,
          SqlTypes.ENUM, SqlTypes.NAMED_ENUM -> TEXT;
      case SqlTypes.BINARY, SqlTypes.VARBINARY, SqlTypes.LONGVARBINARY, SqlTypes.LONG32VARBINARY,
          SqlTypes.BLOB -> BYTES;
      case SqlTypes.BOOLEAN, SqlTypes.BIT -> BOOLEAN;
      case SqlTypes.TINYINT, SqlTypes.SMALLINT -> SHORT;
      case SqlTypes.INTEGER -> INTEGER;
      case SqlTypes.BIGINT -> LONG;
      case SqlTypes.REAL, SqlTypes.FLOAT, SqlTypes.DOUBLE -> DOUBLE;
      case SqlTypes.NUMERIC, SqlTypes.DECIMAL -> DECIMAL;
      case SqlTypes.UUID -> UUID;
      case SqlTypes.DATE -> DATE;
      case SqlTypes.TIME -> TIME;
      case SqlTypes.TIMESTAMP -> TIMESTAMP;
      default -> null;
    };
  }
}
