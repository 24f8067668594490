package io.rowseal.hibernate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Boundary values for every supported type. */
final class Samples {
  /** Non-BMP characters (each a surrogate pair) mixed with 3-byte UTF-8 ones. */
  static final String UNICODE = "rowseal \uD83D\uDD10 \u20AC \uD800\uDF48 \u00E9";

  private Samples() {}

  /** The maxima, the longest values the columns allow, and far dates. */
  static Sample maximal(long id) {
    Sample s = new Sample(id);
    s.label = "max";
    s.email = "\uD83D\uDD10".repeat(300);
    s.bytes = new byte[300];
    for (int i = 0; i < s.bytes.length; i++) {
      s.bytes[i] = (byte) i;
    }
    s.chars = ("secret-" + UNICODE).toCharArray();
    s.intBox = Integer.MAX_VALUE;
    s.intPrim = Integer.MIN_VALUE;
    s.longBox = Long.MAX_VALUE;
    s.longPrim = Long.MIN_VALUE;
    s.shortBox = Short.MAX_VALUE;
    s.shortPrim = Short.MIN_VALUE;
    s.boolBox = Boolean.TRUE;
    s.boolPrim = true;
    s.doubleBox = Double.MAX_VALUE;
    s.doublePrim = -0.0;
    s.amount = new BigDecimal("-1234567890123456789012345678901234567.891");
    s.bigInteger = new BigInteger("9999999999999999999999999999999999999999");
    s.birthDate = LocalDate.MAX;
    s.meetingAt = LocalDateTime.MIN;
    s.wakeUp = LocalTime.MAX;
    s.createdAt = Instant.MAX;
    s.offsetDateTime = OffsetDateTime.of(LocalDateTime.of(-9999, 1, 1, 0, 0, 0, 1), ZoneOffset.ofHoursMinutes(-13, -45));
    s.uuid = new UUID(-1, Long.MIN_VALUE);
    s.tier = Tier.GOLD_PLUS_PLATINUM_WITH_A_LONG_NAME;
    s.details = new Details("Hauptstra\u00DFe " + UNICODE, LocalDate.of(1, 1, 1), "plain city");
    return s;
  }

  /** Empty strings and arrays, zeros, minima. */
  static Sample minimal(long id) {
    Sample s = new Sample(id);
    s.label = "min";
    s.email = "";
    s.bytes = new byte[0];
    s.chars = new char[0];
    s.intBox = 0;
    s.longBox = 0L;
    s.shortBox = (short) 0;
    s.boolBox = Boolean.FALSE;
    s.doubleBox = Double.NaN;
    s.doublePrim = Double.MIN_VALUE;
    s.amount = BigDecimal.ZERO.setScale(7);
    s.bigInteger = BigInteger.ZERO;
    s.birthDate = LocalDate.MIN;
    s.meetingAt = LocalDateTime.MAX;
    s.wakeUp = LocalTime.MIDNIGHT;
    s.createdAt = Instant.MIN;
    s.offsetDateTime = OffsetDateTime.MAX;
    s.uuid = new UUID(0, 0);
    s.tier = Tier.BRONZE;
    s.details = new Details("", LocalDate.EPOCH, "");
    return s;
  }

  /** Every nullable attribute null (primitives keep their defaults). */
  static Sample nulls(long id) {
    Sample s = new Sample(id);
    s.label = "nulls";
    return s;
  }

  /** An ordinary row with distinctive values. */
  static Sample typical(long id) {
    Sample s = new Sample(id);
    s.label = "typical-" + id;
    s.email = "alice." + id + "@example.com " + UNICODE;
    s.bytes = ("binary-secret-" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    s.chars = ("password-" + id).toCharArray();
    s.intBox = 1_000_000 + (int) id;
    s.intPrim = 42;
    s.longBox = 9_000_000_000L + id;
    s.longPrim = -7L;
    s.shortBox = (short) 1234;
    s.shortPrim = (short) -4321;
    s.boolBox = id % 2 == 0;
    s.boolPrim = true;
    s.doubleBox = Math.PI * id;
    s.doublePrim = Math.E;
    s.amount = new BigDecimal("12345.678901");
    s.bigInteger = BigInteger.valueOf(id).shiftLeft(80);
    s.birthDate = LocalDate.of(1987, 6, 5);
    s.meetingAt = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_789);
    s.wakeUp = LocalTime.of(13, 37, 0, 999_999_999);
    s.createdAt = Instant.parse("2025-01-01T00:00:00.000000001Z");
    s.offsetDateTime = OffsetDateTime.of(2030, 7, 8, 9, 10, 11, 12, ZoneOffset.ofHours(14));
    s.uuid = UUID.nameUUIDFromBytes(("u" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    s.tier = Tier.SILVER;
    s.details = new Details("Main Street " + id, LocalDate.of(2001, 9, 11), "Springfield");
    return s;
  }

  static List<Sample> all() {
    return List.of(maximal(1), minimal(2), nulls(3), typical(4));
  }
}
