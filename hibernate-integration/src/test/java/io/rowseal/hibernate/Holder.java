package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** Points lazily at a {@link Sample}, for lazy loading and batch fetching. */
@Entity
@Table(name = "holder")
public class Holder {
  @Id
  Long id;
  @Encrypted
  String note;
  @ManyToOne(fetch = FetchType.LAZY)
  Sample sample;

  public Holder() {}

  Holder(long id, String note, Sample sample) {
    this.id = id;
    this.note = note;
    this.sample = sample;
  }
}
