package io.rowseal.demo.app;

import java.time.LocalDate;
import java.util.List;

/**
 * The customers a first run writes, and the notes later runs rewrite. All numbers are well-known
 * examples, not real people's: SSNs from the Social Security Administration's list of numbers that
 * were never issued or were published in advertising, card numbers from the card networks' test ranges.
 */
final class SampleCustomers {

  /** One customer's values as the application holds them. */
  record Sample(String name, String email, String ssn, LocalDate birthDate, String cardNumber,
      String notes, String street, String city) {}

  static final List<Sample> FIRST_RUN = List.of(
      new Sample("Alice Martin", "alice.martin@example.com", "078-05-1120", LocalDate.of(1985, 3, 14),
          "4111 1111 1111 1111", "Called about a double charge on 2 May; refunded.",
          "12 Harbor Lane", "Portland"),
      new Sample("Bob Okafor", "bob.okafor@example.net", "219-09-9999", LocalDate.of(1979, 11, 2),
          "5555 5555 5555 4444", "Prefers paper statements.", "48 Cedar Street", "Denver"),
      new Sample("Chen Wei", "chen.wei@example.org", "987-65-4320", LocalDate.of(1992, 7, 21),
          "3782 822463 10005", "Disputed a late fee; waived once.", "9 Willow Court", "Austin"),
      new Sample("Dana Kowalski", "dana.k@example.com", "987-65-4321", LocalDate.of(1968, 1, 30),
          "6011 1111 1111 1117", "Hard of hearing: use the relay service.", "301 Maple Avenue",
          "Madison"),
      new Sample("Emeka Mensah", "emeka.mensah@example.net", "987-65-4322", LocalDate.of(2001, 9, 9),
          "3530 1113 3330 0000", "New account; ID checked in branch.", "77 Birch Road", "Raleigh"));

  /** A note added when a customer is rewritten under a new branch-key version (one per run). */
  static String noteAfterRotation(int branchKeyVersion) {
    return "Address confirmed by phone (rewritten under v" + branchKeyVersion + ").";
  }

  private SampleCustomers() {}
}
