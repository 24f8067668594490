package io.rowseal.demo.plain;

import io.rowseal.demo.app.CustomerRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;

/**
 * A customer as an application that knows nothing of rowseal writes it: no rowseal annotation, no rowseal
 * import. In agent mode the rowseal agent adds {@code @Encrypted} to the fields that
 * {@code demo-app/agent.properties} names, as the class loads.
 */
@Entity
@Table(name = "customer")
public class Customer implements CustomerRecord {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  private Long id;

  /** Stays plaintext: the application sorts and searches by it. */
  @Column(nullable = false, length = 80)
  private String name;

  @Column(length = 100)
  private String email;

  @Column(length = 11)
  private String ssn;

  @Column(name = "birth_date")
  private LocalDate birthDate;

  @Column(name = "card_number", length = 19)
  private String cardNumber;

  @Column(length = 500)
  private String notes;

  @Embedded
  private Address address;

  protected Customer() {}

  public Customer(String name, String email, String ssn, LocalDate birthDate, String cardNumber,
      String notes, Address address) {
    this.name = name;
    this.email = email;
    this.ssn = ssn;
    this.birthDate = birthDate;
    this.cardNumber = cardNumber;
    this.notes = notes;
    this.address = address;
  }

  @Override
  public Long getId() {
    return id;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getEmail() {
    return email;
  }

  @Override
  public String getSsn() {
    return ssn;
  }

  @Override
  public LocalDate getBirthDate() {
    return birthDate;
  }

  @Override
  public String getCardNumber() {
    return cardNumber;
  }

  @Override
  public String getNotes() {
    return notes;
  }

  @Override
  public void setNotes(String notes) {
    this.notes = notes;
  }

  @Override
  public String getStreet() {
    return address == null ? null : address.getStreet();
  }

  @Override
  public String getCity() {
    return address == null ? null : address.getCity();
  }

  @Override
  public String toString() {
    return "Customer(id=" + id + ", name=" + name + ")";
  }
}
