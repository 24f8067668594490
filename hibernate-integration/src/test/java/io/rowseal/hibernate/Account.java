package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** A small entity for volume tests. */
@Entity
@Table(name = "account")
public class Account {
  @Id
  Long id;
  String owner;
  @Encrypted
  String email;
  @Encrypted
  LocalDate birth;
  @Encrypted
  BigDecimal balance;

  public Account() {}

  Account(long id) {
    this.id = id;
    this.owner = "owner-" + id;
    this.email = "user" + id + "@example.org";
    this.birth = LocalDate.of(1950, 1, 1).plusDays(id);
    this.balance = BigDecimal.valueOf(id * 31, 2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Account a && Objects.equals(id, a.id) && Objects.equals(owner, a.owner)
        && Objects.equals(email, a.email) && Objects.equals(birth, a.birth)
        && Objects.equals(balance, a.balance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id);
  }

  @Override
  public String toString() {
    return "Account#" + id;
  }
}
