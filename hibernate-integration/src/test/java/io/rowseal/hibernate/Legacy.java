package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import jakarta.persistence.Temporal;
import jakarta.persistence.TemporalType;
import java.util.Calendar;
import java.util.Date;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An entity as an existing application writes it, every attribute already carrying its own JPA or
 * Hibernate mapping, with {@code @Encrypted} added and nothing else changed.
 */
@Entity(name = "Legacy")
@Table(name = "legacy")
public class Legacy {
  @Id Long id;
  @Encrypted @Enumerated(EnumType.STRING) Tier byName;
  @Encrypted @Enumerated(EnumType.ORDINAL) Tier byOrdinal;
  @Encrypted @Convert(converter = PhoneConverter.class) Phone phone;
  @Encrypted @Lob String notes;
  @Encrypted @Lob byte[] scan;
  @Encrypted @Temporal(TemporalType.DATE) Date bornOn;
  @Encrypted @Temporal(TemporalType.TIMESTAMP) Date lastSeen;
  @Encrypted @Temporal(TemporalType.TIMESTAMP) Calendar updated;
  @Encrypted @Column(length = 20) String code;
  @Encrypted @Column(length = 40, columnDefinition = "varchar(300)") String textForm;
  @Encrypted @JdbcTypeCode(SqlTypes.LONG32VARCHAR) String bigText;
  @Encrypted @Basic(optional = false) String required;
  @Encrypted Float ratio;
  @Encrypted Character initial;
  @Encrypted Byte level;
  @Embedded Place place;

  /** A value class of the application, stored through its own converter. */
  public static final class Phone {
    final String country;
    final String number;

    Phone(String country, String number) {
      this.country = country;
      this.number = number;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Phone p && p.country.equals(country) && p.number.equals(number);
    }

    @Override
    public int hashCode() {
      return Objects.hash(country, number);
    }

    @Override
    public String toString() {
      return "+" + country + " " + number;
    }
  }

  /** The application's converter: {@code Phone} as {@code "+cc number"}. */
  @Converter
  public static class PhoneConverter implements AttributeConverter<Phone, String> {
    @Override
    public String convertToDatabaseColumn(Phone phone) {
      return phone == null ? null : phone.toString();
    }

    @Override
    public Phone convertToEntityAttribute(String text) {
      if (text == null) {
        return null;
      }
      int space = text.indexOf(' ');
      return new Phone(text.substring(1, space), text.substring(space + 1));
    }
  }

  /** An embeddable of the application, with a mapped enum inside. */
  @Embeddable
  public static class Place {
    @Encrypted @Column(name = "place_city") String city;
    @Encrypted @Enumerated(EnumType.STRING) @Column(name = "place_tier") Tier tier;
  }
}
