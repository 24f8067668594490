package io.rowseal.benchmarks.app;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * A customer without rowseal. The same class as ../sealed's but for its four {@code @Encrypted}
 * annotations; the agent variant's configuration names these four fields.
 */
@Entity
public class Customer {
  @Id
  @GeneratedValue
  private Long id;

  private String name;

  private String email;

  private String phone;

  private String address;

  private String iban;

  protected Customer() {}

  public Customer(String name, String email, String phone, String address, String iban) {
    this.name = name;
    this.email = email;
    this.phone = phone;
    this.address = address;
    this.iban = iban;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getEmail() {
    return email;
  }

  public String getPhone() {
    return phone;
  }

  public String getAddress() {
    return address;
  }

  public String getIban() {
    return iban;
  }
}
