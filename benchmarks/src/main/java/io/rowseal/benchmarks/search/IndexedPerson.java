package io.rowseal.benchmarks.search;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The email {@code @Encrypted @Searchable} with the default sizing (1,000,000 distinct values: 17 bits). */
@Entity
@Table(name = "rsbsearch_indexed")
public class IndexedPerson implements Person {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbsearch_indexed_seq")
  @SequenceGenerator(name = "rsbsearch_indexed_seq", sequenceName = "rsbsearch_indexed_seq",
      allocationSize = SearchWorkload.BATCH)
  private Long id;
  @Encrypted
  @Searchable
  private String email;

  public IndexedPerson() {}

  public IndexedPerson(String email) {
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
