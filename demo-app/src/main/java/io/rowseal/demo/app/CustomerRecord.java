package io.rowseal.demo.app;

import java.time.LocalDate;

/**
 * What the demo reads from and changes on a customer entity, whichever entity package is in use
 * ({@code annotated} in library mode, {@code plain} in agent mode).
 */
public interface CustomerRecord {
  Long getId();

  String getName();

  String getEmail();

  String getSsn();

  LocalDate getBirthDate();

  String getCardNumber();

  String getNotes();

  void setNotes(String notes);

  String getStreet();

  String getCity();
}
