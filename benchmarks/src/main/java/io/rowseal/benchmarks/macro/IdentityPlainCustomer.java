package io.rowseal.benchmarks.macro;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** {@link PlainCustomer} with an IDENTITY id: the baseline for {@link IdentityFooterBenchmark}. */
@Entity
@Table(name = "rsbench_plain_identity")
public class IdentityPlainCustomer {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;
  String code;
  String email;
  String address;

  public IdentityPlainCustomer() {}

  IdentityPlainCustomer(String code, String email, String address) {
    this.code = code;
    this.email = email;
    this.address = address;
  }
}
