package com.acme.props;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity with property access (its {@code @Id} is on a getter): Hibernate ignores field annotations. */
@Entity
public class Product {

  private Long id;
  private String secret;

  @Id
  public Long getId() {
    return id;
  }

  public void setId(Long id) {
    this.id = id;
  }

  public String getSecret() {
    return secret;
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }
}
