package io.rowseal.benchmarks.macro;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The same entity as {@link PlainCustomer} with its three text fields {@code @Encrypted}. */
@Entity
@Table(name = "rsbench_sealed")
public class SealedCustomer implements Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbench_sealed_seq")
  @SequenceGenerator(name = "rsbench_sealed_seq", sequenceName = "rsbench_sealed_seq", allocationSize = 50)
  private Long id;
  @Encrypted
  private String code;
  @Encrypted
  private String email;
  @Encrypted
  private String address;

  public SealedCustomer() {}

  public SealedCustomer(String code, String email, String address) {
    this.code = code;
    this.email = email;
    this.address = address;
  }

  @Override
  public Long getId() {
    return id;
  }

  @Override
  public String getCode() {
    return code;
  }

  @Override
  public String getEmail() {
    return email;
  }

  @Override
  public String getAddress() {
    return address;
  }
}
