package io.rowseal.benchmarks.app;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A customer in library mode: ../plain's class with its four personal fields {@code @Encrypted}. */
@Entity
public class Customer {
  @Id
  @GeneratedValue
  private Long id;

  private String name;

  @Encrypted
  private String email;

  @Encrypted
  private String phone;

  @Encrypted
  private String address;

  @Encrypted
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
