package io.rowseal.benchmarks.startup;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The start-up baseline's second entity. */
@Entity
@Table(name = "rsstart_plain_account")
public class PlainAccount {
  @Id
  @GeneratedValue
  private Long id;
  private String iban;
  private long balance;

  public PlainAccount() {}

  public PlainAccount(String iban, long balance) {
    this.iban = iban;
    this.balance = balance;
  }
}
