package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Signed;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity with a signed row: two encrypted attributes, one signed plaintext attribute, one plain. */
@Entity
@Table(name = "patient")
public class Patient {
  @Id
  Long id;
  String name;
  @Encrypted
  String ssn;
  @Encrypted
  String diagnosis;
  @Signed
  String ward;

  public Patient() {}

  Patient(long id) {
    this.id = id;
    this.name = "patient-" + id;
    this.ssn = "078-05-" + (1000 + id);
    this.diagnosis = "diagnosis " + id;
    this.ward = "ward-" + id;
  }
}
