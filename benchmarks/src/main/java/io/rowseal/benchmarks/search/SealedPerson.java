package io.rowseal.benchmarks.search;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The email {@code @Encrypted} without an index: what encryption alone costs an insert. */
@Entity
@Table(name = "rsbsearch_sealed")
public class SealedPerson implements Person {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbsearch_sealed_seq")
  @SequenceGenerator(name = "rsbsearch_sealed_seq", sequenceName = "rsbsearch_sealed_seq",
      allocationSize = SearchWorkload.BATCH)
  private Long id;
  @Encrypted
  private String email;

  public SealedPerson() {}

  public SealedPerson(String email) {
    this.email = email;
  }

  @Override
  public Long getId() {
    return id;
  }

  @Override
  public String getEmail() {
    return email;
  }
}
