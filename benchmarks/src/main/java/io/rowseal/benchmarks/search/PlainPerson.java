package io.rowseal.benchmarks.search;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The search benchmark's baseline: a plaintext email column with an ordinary B-tree index. */
@Entity
@Table(name = "rsbsearch_plain",
    indexes = @Index(name = "ix_rsbsearch_plain_email", columnList = "email"))
public class PlainPerson implements Person {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbsearch_plain_seq")
  @SequenceGenerator(name = "rsbsearch_plain_seq", sequenceName = "rsbsearch_plain_seq",
      allocationSize = SearchWorkload.BATCH)
  private Long id;
  private String email;

  public PlainPerson() {}

  public PlainPerson(String email) {
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
