package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An entity with searchable encrypted attributes. Its equality index is deliberately tiny (8 bits) so that
 * a few hundred rows share index values and every search must remove false positives.
 */
@Entity
@Table(name = "person")
public class Person {
  @Id
  Long id;
  @Encrypted
  @Searchable(bits = 8, normalize = {Searchable.Normalization.TRIM, Searchable.Normalization.LOWER_CASE})
  String email;
  @Encrypted
  @Searchable(prefix = 3, bits = 8)
  String lastName;
  @Encrypted
  @Searchable(unique = true)
  String login;
  @Encrypted
  @Searchable(bits = 8)
  Integer score;
  @Encrypted
  String note;
  String city;

  public Person() {}

  Person(long id, String email, String lastName) {
    this.id = id;
    this.email = email;
    this.lastName = lastName;
    this.login = "login-" + id;
    this.score = (int) (id % 7);
    this.note = "note " + id;
    this.city = "city-" + (id % 3);
  }

  @Override
  public String toString() {
    return "Person#" + id;
  }
}
