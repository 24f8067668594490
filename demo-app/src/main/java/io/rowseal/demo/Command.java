package io.rowseal.demo;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The demo's subcommands: each step of the scenario on its own, and all of them in order. */
enum Command {
  RUN_ALL("run-all", "every step below, in order (the default)",
      "Opens (or creates) the demo database and key state, shows rows and keys, rotates the branch\n"
          + "key, counts KMS requests and tampers with stored values. Run it twice: the second run\n"
          + "reopens the rows and keys of the first."),
  SHOW("show", "what the application sees next to what the database holds, and the keys in use",
      "Loads every customer through Hibernate and reads the same rows through plain JDBC: plaintext\n"
          + "on one side, ciphertext on the other (shortened hex), with the key hierarchy in use and\n"
          + "each row's data key named by its derive nonce N. Never prints key bytes."),
  ROTATE("rotate", "rotate the branch key, rewrite one customer, read old and new rows",
      "Adds a new ACTIVE branch-key version (the old one stays readable, DECRYPT_ONLY), rewrites one\n"
          + "customer under it and reads every customer back: rows under both versions. Library mode\n"
          + "only: with the agent, the envelope belongs to the agent."),
  COST("cost", "KMS requests of this run and the seed's monthly cost estimate, per key backend",
      "Counts the requests this run made to the embedded LocalKms, compares them with a design that\n"
          + "calls the KMS once per row, and prices both at the seed's AWS KMS list price; then the same\n"
          + "month on each key backend (aws, local, pkcs11, in-memory): bill, request limit and what it\n"
          + "costs besides. Library mode only: with the agent, the KMS belongs to the agent."),
  TAMPER("tamper", "alter stored values through JDBC and show the integrity errors",
      "Flips one bit of a stored value, moves a value to another attribute of its row and swaps a\n"
          + "value between two rows, each through plain JDBC, then loads the rows through Hibernate and\n"
          + "shows what rowseal detects. Puts the original bytes back afterwards."),
  MIGRATE("migrate", "adopt rowseal on a table that already holds plaintext rows, with the migration job",
      "On a database of its own (demo-data/legacy, made anew): writes 3,000 customers in plaintext as the\n"
          + "application did before rowseal, prints and applies the schema change rowseal needs, restarts\n"
          + "with @Encrypted and transition reads, and runs the migration job with its progress: every row\n"
          + "encrypted and signed, online and resumable (docs/MIGRATION.md). Library mode only."),
  RESET("reset", "delete the demo database (./demo-data)",
      "Deletes ./demo-data: the customers, the wrapped keys and the LocalKms tables. The development\n"
          + "keystore ./.rowseal/localkms.p12 (the HSMs' key pairs) is kept and serves the next run.");

  private final String name;
  private final String summary;
  private final String details;

  Command(String name, String summary, String details) {
    this.name = name;
    this.summary = summary;
    this.details = details;
  }

  String commandName() {
    return name;
  }

  String summary() {
    return summary;
  }

  String details() {
    return details;
  }

  static Optional<Command> named(String name) {
    return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst();
  }

  static String names() {
    return Arrays.stream(values()).map(c -> c.name).collect(Collectors.joining(", "));
  }
}
