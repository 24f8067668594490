package io.rowseal.benchmarks.startup;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** {@link PlainAccount} with its IBAN and balance {@code @Encrypted}. */
@Entity
@Table(name = "rsstart_sealed_account")
public class SealedAccount {
  @Id
  @GeneratedValue
  private Long id;
  @Encrypted
  private String iban;
  @Encrypted
  private long balance;

  public SealedAccount() {}

  public SealedAccount(String iban, long balance) {
    this.iban = iban;
    this.balance = balance;
  }
}
