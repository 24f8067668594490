package io.rowseal.bootit;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "rsboot_patient")
public class Patient {
  @Id
  @GeneratedValue
  private Long id;

  private String name;

  @Encrypted
  private String diagnosis;

  protected Patient() {}

  public Patient(String name, String diagnosis) {
    this.name = name;
    this.diagnosis = diagnosis;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getDiagnosis() {
    return diagnosis;
  }
}
