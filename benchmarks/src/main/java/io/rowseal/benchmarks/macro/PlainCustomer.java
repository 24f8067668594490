package io.rowseal.benchmarks.macro;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The macro benchmark's baseline: three plaintext text fields. */
@Entity
@Table(name = "rsbench_plain")
public class PlainCustomer implements Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rsbench_plain_seq")
  @SequenceGenerator(name = "rsbench_plain_seq", sequenceName = "rsbench_plain_seq", allocationSize = 50)
  private Long id;
  private String code;
  private String email;
  private String address;

  public PlainCustomer() {}

  public PlainCustomer(String code, String email, String address) {
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
