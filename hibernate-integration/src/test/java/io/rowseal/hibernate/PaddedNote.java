package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Encrypted values whose stored length must not tell them apart: a bucketed note and an enum. */
@Entity
@Table(name = "padded_note")
public class PaddedNote {
  @Id
  Long id;
  @Encrypted(lengthBuckets = {16, 64})
  String note;
  @Encrypted
  Tier tier;

  public PaddedNote() {}

  PaddedNote(long id, String note, Tier tier) {
    this.id = id;
    this.note = note;
    this.tier = tier;
  }
}
