package io.rowseal.benchmarks.startup;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The start-up baseline's entities: {@link SealedNote}'s and {@link SealedAccount}'s fields, none encrypted. */
@Entity
@Table(name = "rsstart_plain_note")
public class PlainNote {
  @Id
  @GeneratedValue
  private Long id;
  private String title;
  private String body;
  private String author;

  public PlainNote() {}

  public PlainNote(String title, String body, String author) {
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
