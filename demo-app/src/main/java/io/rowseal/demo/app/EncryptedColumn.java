package io.rowseal.demo.app;

import java.util.Objects;
import java.util.function.Function;

/** The customer table's encrypted columns, each with the attribute it stores and how the application reads it. */
enum EncryptedColumn {
  EMAIL("email", "email", CustomerRecord::getEmail),
  SSN("ssn", "ssn", CustomerRecord::getSsn),
  BIRTH_DATE("birth_date", "birthDate", CustomerRecord::getBirthDate),
  CARD_NUMBER("card_number", "cardNumber", CustomerRecord::getCardNumber),
  NOTES("notes", "notes", CustomerRecord::getNotes),
  STREET("street", "address.street", CustomerRecord::getStreet);

  private final String column;
  private final String attribute;
  private final Function<CustomerRecord, Object> getter;

  EncryptedColumn(String column, String attribute, Function<CustomerRecord, Object> getter) {
    this.column = column;
    this.attribute = attribute;
    this.getter = getter;
  }

  String column() {
    return column;
  }

  /** The attribute's path in the entity, e.g. {@code address.street}. */
  String attribute() {
    return attribute;
  }

  /** What the application sees, as text ({@code null} stays {@code null}). */
  String plaintext(CustomerRecord customer) {
    Object v = getter.apply(customer);
    return v == null ? null : Objects.toString(v);
  }
}
