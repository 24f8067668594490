package com.acme.crm;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import java.time.LocalDate;

/**
 * An entity as applications write them, with no knowledge of rowseal: the agent ITs configure
 * {@code email}, {@code birthDate} and {@code tier} for encryption; {@code name} stays plaintext.
 */
@Entity
public class Customer {

  @Id
  @GeneratedValue
  private Long id;

  @Column(nullable = false)
  private String name;

  private String email;

  private LocalDate birthDate;

  @Enumerated(EnumType.STRING)
  private Tier tier;

  protected Customer() {}

  public Customer(String name, String email, LocalDate birthDate, Tier tier) {
    this.name = name;
    this.email = email;
    this.birthDate = birthDate;
    this.tier = tier;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  @Override
  public String toString() {
    return "name=" + name + " email=" + email + " birthDate=" + birthDate + " tier=" + tier;
  }
}
