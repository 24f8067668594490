package io.rowseal.demo.app;

import java.util.List;
import java.util.Objects;

/**
 * Scenario step: change stored values the way someone with write access to the database could, through
 * plain JDBC, then load the rows through Hibernate and show what rowseal makes of it: a value's GCM tag
 * catches an altered byte, its AAD (the attribute's name) a move to another attribute, and the row's
 * footer (a MAC over the row's id and stored values) a move to another row. Each change is undone right
 * after, so the data stays readable for the next step and the next run.
 */
final class TamperValues {
  private TamperValues() {}

  static void run(DemoContext ctx) {
    Console console = ctx.console;
    console.step("Tamper with stored values (plain JDBC), then load the rows (Hibernate)");
    List<RawRows.Row> rows = RawRows.read(ctx.dataSource);
    if (rows.size() < 3) {
      throw new DemoException("tamper needs 3 customers, found " + rows.size() + "; run reset, then run-all");
    }
    RawRows.Row a = rows.get(0);
    RawRows.Row b = rows.get(1);
    RawRows.Row c = rows.get(2);

    // 1. Flip one bit of a stored value: the field's GCM tag no longer verifies.
    byte[] flipped = b.stored(EncryptedColumn.SSN).clone();
    int at = flipped.length - 20;
    flipped[at] ^= 0x01;
    console.line("a) flip one bit (byte %d) of %s's stored ssn", at, b.name());
    tampered(ctx, List.of(new Change(b, EncryptedColumn.SSN, flipped)), () -> {
      report(console, b.name(), outcome(ctx, b.id()));
    });

    // 2. Move a value to another attribute of the same row: the attribute name is in the value's AAD.
    console.line("b) copy %s's stored email into the notes column of the same row", a.name());
    tampered(ctx, List.of(new Change(a, EncryptedColumn.NOTES, a.stored(EncryptedColumn.EMAIL))), () -> {
      report(console, a.name(), outcome(ctx, a.id()));
    });

    // 3. Swap one attribute's values between two rows: each value still verifies on its own; the
    //    rows' footers do not.
    console.line("c) swap the stored card numbers of %s and %s", a.name(), c.name());
    tampered(ctx, List.of(new Change(a, EncryptedColumn.CARD_NUMBER, c.stored(EncryptedColumn.CARD_NUMBER)),
        new Change(c, EncryptedColumn.CARD_NUMBER, a.stored(EncryptedColumn.CARD_NUMBER))), () -> {
          String outcomeA = outcome(ctx, a.id());
          if (!outcomeA.startsWith("read ")) {
            report(console, a.name(), outcomeA);
            return;
          }
          CustomerRecord loaded = ctx.customer(a.id());
          CustomerRecord other = ctx.customer(c.id());
          console.line("   load %s: NOT DETECTED, shows card %s, which was %s's", a.name(),
              loaded.getCardNumber(), c.name());
          console.line("   load %s: NOT DETECTED, shows card %s", c.name(), other.getCardNumber());
          console.line("   Each value is bound to its attribute only; binding it to its row is the row footer's");
          console.line("   job (rowseal.row-signature, on by default), which this database runs without.");
        });

    // 4. Every change was undone: every customer reads again.
    int readable = ctx.customers().size();
    console.line("[ok] original bytes restored: all %d customers read back", readable);
    console.line("Not detectable without state outside the row: a whole row (values and footer) put back to");
    console.line("an earlier version of itself, or a deleted row (docs/HIBERNATE.md, section 13).");
  }

  private static void report(Console console, String name, String outcome) {
    if (outcome.startsWith("read ")) {
      console.line("   load %s: NOT DETECTED, it reads", name);
      return;
    }
    console.line("   load %s: DETECTED", name);
    console.wrapped(9, outcome);
  }

  /** One stored value replaced by other bytes. */
  private record Change(RawRows.Row row, EncryptedColumn column, byte[] value) {}

  /** Applies the changes, runs {@code check}, and puts the original bytes back whatever happens. */
  private static void tampered(DemoContext ctx, List<Change> changes, Runnable check) {
    try {
      for (Change ch : changes) {
        RawRows.write(ctx.dataSource, ch.row().id(), ch.column(), ch.value());
      }
      check.run();
    } finally {
      for (Change ch : changes) {
        RawRows.write(ctx.dataSource, ch.row().id(), ch.column(), ch.row().stored(ch.column()));
      }
    }
  }

  /** Loads one customer in a fresh persistence context: rowseal's error message, or "read <name>". */
  private static String outcome(DemoContext ctx, long id) {
    try {
      CustomerRecord c = ctx.customer(id);
      return "read " + Objects.requireNonNull(c, "customer " + id).getName();
    } catch (RuntimeException e) {
      String message = Failures.rowsealMessage(e);
      if (message == null) {
        throw e;
      }
      return message;
    }
  }
}
