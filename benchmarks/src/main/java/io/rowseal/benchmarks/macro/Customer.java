package io.rowseal.benchmarks.macro;

/** What the macro benchmark reads back from either entity. */
public interface Customer {
  Long getId();

  String getCode();

  String getEmail();

  String getAddress();
}
