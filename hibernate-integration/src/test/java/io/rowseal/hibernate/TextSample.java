package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An encrypted attribute kept in a character column: stored as {@code rs1:} + Base64. */
@Entity
@Table(name = "text_sample")
public class TextSample {
  @Id
  Long id;
  @Encrypted
  @Column(length = 50, columnDefinition = "varchar(400)")
  String secret;

  public TextSample() {}

  TextSample(long id, String secret) {
    this.id = id;
    this.secret = secret;
  }
}
