package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Embeddable;
import java.time.LocalDate;

/** An embeddable with encrypted and plain attributes. */
@Embeddable
public class Details {
  @Encrypted
  String street;
  @Encrypted(context = "details.since")
  LocalDate since;
  String city;

  public Details() {}

  Details(String street, LocalDate since, String city) {
    this.street = street;
    this.since = since;
    this.city = city;
  }
}
