package io.rowseal.benchmarks.search;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The email {@code @Encrypted @Searchable(unique = true)}: a 256-bit index under a unique key. */
@Entity
@Table(name = "rsbsearch_unique")
public class UniquePerson implements Person {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbsearch_unique_seq")
  @SequenceGenerator(name = "rsbsearch_unique_seq", sequenceName = "rsbsearch_unique_seq",
      allocationSize = SearchWorkload.BATCH)
  private Long id;
  @Encrypted
  @Searchable(unique = true)
  private String email;

  public UniquePerson() {}

  public UniquePerson(String email) {
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
