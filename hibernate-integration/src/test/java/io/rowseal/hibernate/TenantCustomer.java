package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

/** A multi-tenant entity: Hibernate filters and fills the tenant column from the session. */
@Entity(name = "TenantCustomer")
@Table(name = "tenant_customer")
public class TenantCustomer {
  @Id Long id;
  @TenantId String tenant;
  @Encrypted String email;
}
