package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;

/** A table an application filled with plaintext before it encrypted these attributes. */
@Entity(name = "OldCustomer")
@Table(name = "old_customer")
public class OldCustomer {
  @Id Long id;
  String name;
  @Encrypted String email;
  @Encrypted LocalDate birth;
  @Encrypted @Enumerated(EnumType.STRING) Tier tier;
  @Encrypted Integer score;
  @Encrypted BigDecimal balance;
}
