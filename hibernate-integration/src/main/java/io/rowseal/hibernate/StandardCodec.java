package io.rowseal.hibernate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Value encoding v1 of the non-enum types. Integers are two's complement big-endian, {@code double} is
 * its IEEE 754 bit pattern (so {@code -0.0} and NaN payloads survive), text is strict UTF-8 (an unpaired
 * surrogate is refused rather than silently replaced), temporal values are epoch counts that keep their
 * full nanosecond precision, and {@code OffsetDateTime} keeps its own offset.
 */
enum StandardCodec implements ValueCodec {
  STRING(0x01, String.class) {
    @Override byte[] body(Object v) {
      return StrictUtf8.encode((String) v);
    }
    @Override public byte[] encode(Object value) {
      return StrictUtf8.encodeTagged(tag(), (String) value);
    }
    @Override public boolean encodesTo(Object value, byte[] encoded) {
      Boolean known = StrictUtf8.isTagged(tag(), (String) value, encoded);
      return known != null ? known : super.encodesTo(value, encoded);
    }
    @Override Object read(ByteBuffer b) {
      return StrictUtf8.decode(b);
    }
    @Override int maxBody(long length, int precision) {
      return saturated(3 * length);
    }
  },
  BYTES(0x02, byte[].class) {
    @Override byte[] body(Object v) {
      return (byte[]) v;
    }
    @Override Object read(ByteBuffer b) {
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    }
    @Override int maxBody(long length, int precision) {
      return saturated(length);
    }
  },
  CHARS(0x03, char[].class) {
    @Override byte[] body(Object v) {
      return StrictUtf8.encode(CharBuffer.wrap((char[]) v));
    }
    @Override Object read(ByteBuffer b) {
      return StrictUtf8.decode(b).toCharArray();
    }
    @Override int maxBody(long length, int precision) {
      return saturated(3 * length);
    }
  },
  BOOLEAN(0x10, Boolean.class) {
    @Override byte[] body(Object v) {
      return new byte[] {(byte) ((Boolean) v ? 1 : 0)};
    }
    @Override Object read(ByteBuffer b) {
      byte x = b.get();
      if (x != 0 && x != 1) {
        throw new IllegalArgumentException("boolean byte must be 0 or 1");
      }
      return x == 1;
    }
    @Override int maxBody(long length, int precision) {
      return 1;
    }
  },
  SHORT(0x11, Short.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(2).putShort((Short) v).array();
    }
    @Override Object read(ByteBuffer b) {
      return b.getShort();
    }
    @Override int maxBody(long length, int precision) {
      return 2;
    }
  },
  INT(0x12, Integer.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(4).putInt((Integer) v).array();
    }
    @Override public byte[] encode(Object value) {
      byte[] out = new byte[5];
      out[0] = tag();
      BIG_ENDIAN_INT.set(out, 1, (int) (Integer) value);
      return out;
    }
    @Override Object read(ByteBuffer b) {
      return b.getInt();
    }
    @Override int maxBody(long length, int precision) {
      return 4;
    }
  },
  LONG(0x13, Long.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(8).putLong((Long) v).array();
    }
    @Override public byte[] encode(Object value) {
      byte[] out = new byte[9];
      out[0] = tag();
      BIG_ENDIAN_LONG.set(out, 1, (long) (Long) value);
      return out;
    }
    @Override Object read(ByteBuffer b) {
      return b.getLong();
    }
    @Override int maxBody(long length, int precision) {
      return 8;
    }
  },
  DOUBLE(0x14, Double.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits((Double) v)).array();
    }
    @Override Object read(ByteBuffer b) {
      return Double.longBitsToDouble(b.getLong());
    }
    @Override int maxBody(long length, int precision) {
      return 8;
    }
  },
  BIG_INTEGER(0x15, BigInteger.class) {
    @Override byte[] body(Object v) {
      return ((BigInteger) v).toByteArray();
    }
    @Override Object read(ByteBuffer b) {
      if (!b.hasRemaining()) {
        throw new IllegalArgumentException("empty BigInteger");
      }
      byte[] magnitude = new byte[b.remaining()];
      b.get(magnitude);
      return new BigInteger(magnitude);
    }
    @Override int maxBody(long length, int precision) {
      return unscaledBytes(precision);
    }
  },
  BIG_DECIMAL(0x16, BigDecimal.class) {
    @Override byte[] body(Object v) {
      BigDecimal d = (BigDecimal) v;
      byte[] unscaled = d.unscaledValue().toByteArray();
      return ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array();
    }
    @Override Object read(ByteBuffer b) {
      int scale = b.getInt();
      return new BigDecimal((BigInteger) BIG_INTEGER.read(b), scale);
    }
    @Override int maxBody(long length, int precision) {
      return 4 + unscaledBytes(precision);
    }
  },
  LOCAL_DATE(0x20, LocalDate.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(8).putLong(((LocalDate) v).toEpochDay()).array();
    }
    @Override Object read(ByteBuffer b) {
      return LocalDate.ofEpochDay(b.getLong());
    }
    @Override int maxBody(long length, int precision) {
      return 8;
    }
  },
  LOCAL_TIME(0x21, LocalTime.class) {
    @Override byte[] body(Object v) {
      return ByteBuffer.allocate(8).putLong(((LocalTime) v).toNanoOfDay()).array();
    }
    @Override Object read(ByteBuffer b) {
      return LocalTime.ofNanoOfDay(b.getLong());
    }
    @Override int maxBody(long length, int precision) {
      return 8;
    }
  },
  LOCAL_DATE_TIME(0x22, LocalDateTime.class) {
    @Override byte[] body(Object v) {
      LocalDateTime t = (LocalDateTime) v;
      return ByteBuffer.allocate(16).putLong(t.toLocalDate().toEpochDay())
          .putLong(t.toLocalTime().toNanoOfDay()).array();
    }
    @Override Object read(ByteBuffer b) {
      return LocalDateTime.of(LocalDate.ofEpochDay(b.getLong()), LocalTime.ofNanoOfDay(b.getLong()));
    }
    @Override int maxBody(long length, int precision) {
      return 16;
    }
  },
  INSTANT(0x23, Instant.class) {
    @Override byte[] body(Object v) {
      Instant i = (Instant) v;
      return ByteBuffer.allocate(12).putLong(i.getEpochSecond()).putInt(i.getNano()).array();
    }
    @Override Object read(ByteBuffer b) {
      long seconds = b.getLong();
      int nanos = b.getInt();
      // As Instant.getNano() writes it; anything else would overflow, or decode to a value encoded otherwise.
      if (nanos < 0 || nanos > 999_999_999) {
        throw new IllegalArgumentException("INSTANT value has a nanosecond field out of range");
      }
      return Instant.ofEpochSecond(seconds, nanos);
    }
    @Override int maxBody(long length, int precision) {
      return 12;
    }
  },
  OFFSET_DATE_TIME(0x24, OffsetDateTime.class) {
    @Override byte[] body(Object v) {
      OffsetDateTime t = (OffsetDateTime) v;
      return ByteBuffer.allocate(20).put(LOCAL_DATE_TIME.body(t.toLocalDateTime()))
          .putInt(t.getOffset().getTotalSeconds()).array();
    }
    @Override Object read(ByteBuffer b) {
      LocalDateTime local = (LocalDateTime) LOCAL_DATE_TIME.read(b);
      return OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(b.getInt()));
    }
    @Override int maxBody(long length, int precision) {
      return 20;
    }
  },
  UUID(0x30, java.util.UUID.class) {
    @Override byte[] body(Object v) {
      java.util.UUID u = (java.util.UUID) v;
      return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
          .putLong(u.getLeastSignificantBits()).array();
    }
    @Override Object read(ByteBuffer b) {
      return new java.util.UUID(b.getLong(), b.getLong());
    }
    @Override int maxBody(long length, int precision) {
      return 16;
    }
  };

  private final byte tag;
  private final Class<?> javaType;

  StandardCodec(int tag, Class<?> javaType) {
    this.tag = (byte) tag;
    this.javaType = javaType;
  }

  abstract byte[] body(Object value);

  abstract Object read(ByteBuffer body);

  abstract int maxBody(long length, int precision);

  @Override
  public byte tag() {
    return tag;
  }

  @Override
  public Class<?> javaType() {
    return javaType;
  }

  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
  private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

  @Override
  public byte[] encode(Object value) {
    byte[] body = body(value);
    byte[] out = new byte[1 + body.length];
    out[0] = tag;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  @Override
  public Object decode(byte[] encoded) {
    if (encoded.length == 0 || encoded[0] != tag) {
      throw new IllegalArgumentException("value was encoded with tag "
          + (encoded.length == 0 ? "(none)" : String.format("0x%02x", encoded[0]))
          + ", not " + name() + String.format(" (0x%02x)", tag));
    }
    ByteBuffer b = ByteBuffer.wrap(encoded, 1, encoded.length - 1);
    try {
      Object value = read(b);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(name() + " value has " + b.remaining() + " trailing bytes");
      }
      return value;
    } catch (java.nio.BufferUnderflowException | DateTimeException e) {
      throw new IllegalArgumentException(name() + " value is malformed (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  @Override
  public int maxLength(long length, int precision) {
    return saturated(1L + maxBody(length, precision));
  }

  /** Bytes of the two's-complement form of the largest unscaled value with {@code precision} digits. */
  static int unscaledBytes(int precision) {
    return BigInteger.TEN.pow(precision).subtract(BigInteger.ONE).bitLength() / 8 + 1;
  }

  private static int saturated(long n) {
    return (int) Math.min(n, Integer.MAX_VALUE - 4096);
  }
}
