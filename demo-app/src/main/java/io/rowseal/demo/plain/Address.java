package io.rowseal.demo.plain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A postal address embedded in {@link Customer}; {@code demo-app/agent.properties} names its street. */
@Embeddable
public class Address {
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
