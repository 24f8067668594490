package io.rowseal.demo.annotated;

import io.rowseal.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A postal address embedded in {@link Customer}: the street is encrypted, the city is not. */
@Embeddable
public class Address {
  @Encrypted
  @Column(name = "street", length = 100)
  private String street;

  @Column(name = "city", length = 60)
  private String city;

  protected Address() {}

  public Address(String street, String city) {
    this.street = street;
    this.city = city;
  }

  public String getStreet() {
    return street;
  }

  public String getCity() {
    return city;
  }
}
