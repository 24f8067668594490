package io.rowseal.benchmarks.macro;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * {@link SealedCustomer} with an IDENTITY id: the id is known only after the INSERT, so the row footer
 * is bound by a second statement in the same transaction (docs/HIBERNATE.md, row signatures).
 */
@Entity
@Table(name = "rsbench_sealed_identity")
public class IdentitySealedCustomer {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;
  @Encrypted
  String code;
  @Encrypted
  String email;
  @Encrypted
  String address;

  public IdentitySealedCustomer() {}

  IdentitySealedCustomer(String code, String email, String address) {
    this.code = code;
    this.email = email;
    this.address = address;
  }
}
