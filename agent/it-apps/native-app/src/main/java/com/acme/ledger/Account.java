package com.acme.ledger;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import java.time.LocalDate;

/**
 * An entity as applications write them, with no knowledge of rowseal: the agent ITs configure
 * {@code iban}, {@code openedOn} and {@code status} for encryption; {@code holder} stays plaintext.
 */
@Entity
public class Account {

  @Id
  @GeneratedValue
  private Long id;

  private String holder;

  private String iban;

  private LocalDate openedOn;

  @Enumerated(EnumType.STRING)
  private AccountStatus status;

  protected Account() {}

  public Account(String holder, String iban, LocalDate openedOn, AccountStatus status) {
    this.holder = holder;
    this.iban = iban;
    this.openedOn = openedOn;
    this.status = status;
  }

  public Long getId() {
    return id;
  }

  public String getHolder() {
    return holder;
  }

  @Override
  public String toString() {
    return "holder=" + holder + " iban=" + iban + " openedOn=" + openedOn + " status=" + status;
  }
}
