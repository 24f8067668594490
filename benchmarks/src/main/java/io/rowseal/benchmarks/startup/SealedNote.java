package io.rowseal.benchmarks.startup;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** {@link PlainNote} with two of its three fields {@code @Encrypted}. */
@Entity
@Table(name = "rsstart_sealed_note")
public class SealedNote {
  @Id
  @GeneratedValue
  private Long id;
  private String title;
  @Encrypted
  private String body;
  @Encrypted
  private String author;

  public SealedNote() {}

  public SealedNote(String title, String body, String author) {
    this.title = title;
    this.body = body;
    this.author = author;
  }

  public Long getId() {
    return id;
  }

  public String getBody() {
    return body;
  }
}
