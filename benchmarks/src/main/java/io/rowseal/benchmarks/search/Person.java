package io.rowseal.benchmarks.search;

/** What the search benchmark's four entities share: an id and an email. */
public interface Person {
  Long getId();

  String getEmail();
}
