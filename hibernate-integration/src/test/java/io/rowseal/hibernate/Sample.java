package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** Every supported type, encrypted; plus a plain label and a version. */
@Entity
@Table(name = "sample")
@BatchSize(size = 10)
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Sample {
  @Id
  Long id;
  @Version
  int version;
  String label;

  @Encrypted @Column(length = 600) String email;
  @Encrypted @Column(length = 300) byte[] bytes;
  @Encrypted char[] chars;
  @Encrypted Integer intBox;
  @Encrypted int intPrim;
  @Encrypted Long longBox;
  @Encrypted long longPrim;
  @Encrypted Short shortBox;
  @Encrypted short shortPrim;
  @Encrypted Boolean boolBox;
  @Encrypted boolean boolPrim;
  @Encrypted Double doubleBox;
  @Encrypted double doublePrim;
  @Encrypted @Column(precision = 40) BigDecimal amount;
  @Encrypted @Column(precision = 40) BigInteger bigInteger;
  @Encrypted LocalDate birthDate;
  @Encrypted LocalDateTime meetingAt;
  @Encrypted LocalTime wakeUp;
  @Encrypted Instant createdAt;
  @Encrypted OffsetDateTime offsetDateTime;
  @Encrypted UUID uuid;
  @Encrypted Tier tier;
  @Embedded Details details;

  public Sample() {}

  Sample(long id) {
    this.id = id;
  }
}
