package com.acme.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;

/**
 * The fixture application's entity. Its source carries no rowseal annotation: the agent's configuration
 * names {@code email} and {@code birthDate}; {@code name} and {@code note} stay plaintext. Bean
 * Validation checks {@code email} on the entity object, which holds plaintext.
 */
@Entity
@Table(name = "customer")
public class Customer {

  @Id
  @GeneratedValue
  private Long id;

  private String name;

  @Email
  @NotNull
  private String email;

  private LocalDate birthDate;

  private String note;

  protected Customer() {}

  public Customer(String name, String email, LocalDate birthDate, String note) {
    this.name = name;
    this.email = email;
    this.birthDate = birthDate;
    this.note = note;
  }

  public Long id() {
    return id;
  }

  @Override
  public String toString() {
    return "name=" + name + " email=" + email + " birthDate=" + birthDate + " note=" + note;
  }
}
