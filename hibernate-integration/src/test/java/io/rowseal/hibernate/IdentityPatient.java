package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Signed;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A signed entity whose id the database makes on insert (IDENTITY). */
@Entity
@Table(name = "identity_patient")
public class IdentityPatient {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;
  @Encrypted
  String ssn;
  @Signed
  String ward;

  public IdentityPatient() {}

  IdentityPatient(String ssn, String ward) {
    this.ssn = ssn;
    this.ward = ward;
  }
}
